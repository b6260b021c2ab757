package io.tributary.log.internal;

import io.tributary.log.CorruptRecordException;
import io.tributary.log.LogSlice;
import io.tributary.log.RecordBatchHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One segment of a partition: a {@code .log} file of record batches, exactly as appended, and its
 * two sparse indexes, all named by the segment's base offset ({@code %020d}).
 *
 * <pre>
 *  00000000000000001000.log
 *  +----------------+----------------+-----+----------------+........
 *  | batch 1000-1004| batch 1005     | ... | batch N-M      | (end: size)
 *  +----------------+----------------+-----+----------------+........
 *  ^ position 0      ^ indexed when > index.interval.bytes since the last entry
 * </pre>
 *
 * <p>The {@code .log} file stays open while the segment lives; the index files are opened by their first
 * entry or lookup and closed again by {@link #releaseIndexFiles()} (decision 0048), so an idle segment
 * holds one file descriptor.
 *
 * <p>Thread-safety: a single writer appends; readers on any thread read batches below the
 * published {@link #size()}, which is written after the bytes (and index entries) it covers.
 */
final class LogSegment {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);
    static final String LOG_SUFFIX = ".log";
    static final String DELETED_SUFFIX = ".deleted";
    /** Tail of the files of a segment the cleaner is still writing; deleted at open. */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** Tail of the files of a cleaned segment committed to replace the ones it covers; completed at open. */
    static final String SWAP_SUFFIX = ".swap";
    private static final String[] SUFFIXES = {OffsetIndex.SUFFIX, TimeIndex.SUFFIX, LOG_SUFFIX};
    /** Bytes of a batch header needed to walk batches: base offset, length, ..., last offset delta. */
    static final int WALK_HEADER_SIZE = RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET + 4;

    private final Path dir;
    private final long baseOffset;
    private final FileChannel log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final RecordBatchHeader header = new RecordBatchHeader();

    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = -1;
    private long offsetOfMaxTimestamp;
    private int bytesSinceLastIndexEntry;
    private long firstAppendMs = -1;
    private int flushedSize;
    /** The data file was forced since the indexes last were ({@link #forceIndexes()}); callers serialize. */
    private boolean indexesBehindLog;
    private volatile boolean retired;
    private String retiredTail = DELETED_SUFFIX;
    /** Damaged ranges found by the scrubber or the read path, in position order (copy on write). */
    private volatile List<SegmentDamage> damage = List.of();
    /** Bytes from the start the scrubber has checked (CRC32C and headers); see decision 0018. */
    private volatile long verifiedPosition;

    LogSegment(Path dir, long baseOffset, FileChannel log, OffsetIndex offsetIndex, TimeIndex timeIndex) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.nextOffset = baseOffset;
        this.offsetOfMaxTimestamp = baseOffset;
    }

    /** Creates a new empty segment at {@code baseOffset}, replacing any files left with that name. */
    static LogSegment create(Path dir, long baseOffset, ChannelFactory files) throws IOException {
        FileChannel log = files.open(logPath(dir, baseOffset));
        log.truncate(0);
        return createIndexes(dir, baseOffset, "", log, files);
    }

    /**
     * Creates the empty {@code *.cleaned} files of a segment the cleaner writes; they take the
     * segment's real names with {@link #renameFiles}.
     */
    static LogSegment createCleaned(Path dir, long baseOffset, ChannelFactory files) throws IOException {
        FileChannel log = files.open(dir.resolve(fileName(baseOffset, LOG_SUFFIX) + CLEANED_SUFFIX));
        log.truncate(0);
        return createIndexes(dir, baseOffset, CLEANED_SUFFIX, log, files);
    }

    /**
     * Creates both index files empty, named with {@code tail}, and closed until their first entries (so a new
     * segment holds one descriptor, its log's); if one cannot be created, {@code log} is closed.
     */
    private static LogSegment createIndexes(Path dir, long baseOffset, String tail, FileChannel log,
                                            ChannelFactory files) throws IOException {
        try {
            OffsetIndex offsetIndex = OffsetIndex.create(dir.resolve(fileName(baseOffset, OffsetIndex.SUFFIX) + tail),
                    baseOffset, files);
            TimeIndex timeIndex = TimeIndex.create(dir.resolve(fileName(baseOffset, TimeIndex.SUFFIX) + tail),
                    baseOffset, files);
            return new LogSegment(dir, baseOffset, log, offsetIndex, timeIndex);
        } catch (IOException | RuntimeException e) {
            FileIo.closeAfter(log, e);
            throw e;
        }
    }

    /**
     * Renames the segment's three files from {@code <name><fromTail>} to {@code <name><toTail>}
     * (an empty tail is the real name), the indexes first and the log last: the log's name is
     * what recovery goes by. Open channels keep working; a closed index opens under its new name.
     */
    void renameFiles(String fromTail, String toTail) throws IOException {
        offsetIndex.renameTo(dir.resolve(fileName(baseOffset, OffsetIndex.SUFFIX) + toTail),
                StandardCopyOption.REPLACE_EXISTING);
        timeIndex.renameTo(dir.resolve(fileName(baseOffset, TimeIndex.SUFFIX) + toTail),
                StandardCopyOption.REPLACE_EXISTING);
        Path from = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + fromTail);
        Files.move(from, from.resolveSibling(fileName(baseOffset, LOG_SUFFIX) + toTail),
                StandardCopyOption.REPLACE_EXISTING);
    }

    static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    static Path logPath(Path dir, long baseOffset) {
        return dir.resolve(fileName(baseOffset, LOG_SUFFIX));
    }

    /**
     * Writes {@code batches} (whole, validated batches starting at {@link #nextOffset()}) at the end
     * of the file and indexes them. On failure the file and indexes are cut back to where they were
     * and the exception is rethrown, so nothing of this call remains. Leaves {@code batches}' position.
     *
     * @throws CutBackFailedException if the write failed and the cut-back failed too
     */
    void append(ByteBuffer batches, int indexIntervalBytes, long nowMs) throws IOException {
        int start = size;
        int offsetEntries = offsetIndex.entries();
        int timeEntries = timeIndex.entries();
        long savedMaxTimestamp = maxTimestamp;
        long savedOffsetOfMax = offsetOfMaxTimestamp;
        int savedSinceEntry = bytesSinceLastIndexEntry;
        long last = nextOffset - 1;
        try {
            FileIo.writeFully(log, batches.duplicate(), start);
            int from = batches.position();
            for (int p = from; p < batches.limit(); ) {
                header.wrap(batches, p);
                int batchSize = header.sizeInBytes();
                indexBatch(header.baseOffset(), header.maxTimestamp(), start + p - from, batchSize, indexIntervalBytes);
                last = header.lastOffset();
                p += batchSize;
            }
        } catch (IOException e) {
            maxTimestamp = savedMaxTimestamp;
            offsetOfMaxTimestamp = savedOffsetOfMax;
            bytesSinceLastIndexEntry = savedSinceEntry;
            undo(start, offsetEntries, timeEntries, e);
            throw e;
        }
        if (firstAppendMs < 0) {
            firstAppendMs = nowMs;
        }
        size = start + batches.remaining();
        nextOffset = last + 1;
    }

    /** Cuts the files back after the write failed with {@code cause}; if that fails, says so. */
    private void undo(int logSize, int offsetEntries, int timeEntries, IOException cause)
            throws CutBackFailedException {
        try {
            offsetIndex.truncateToEntries(offsetEntries);
            timeIndex.truncateToEntries(timeEntries);
            log.truncate(logSize);
        } catch (IOException e) {
            throw new CutBackFailedException(cause, e);
        }
    }

    /**
     * Accounts for one batch written at {@code position}: tracks the max timestamp and adds index
     * entries once more than {@code indexIntervalBytes} were written since the last entry.
     */
    void indexBatch(long batchBaseOffset, long batchMaxTimestamp, int position, int batchSize,
                    int indexIntervalBytes) throws IOException {
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            offsetOfMaxTimestamp = batchBaseOffset;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(batchBaseOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /** Sets the indexing state a scan starts from (the last index entries, or nothing). */
    void resetScanState(long maxTimestamp, long offsetOfMaxTimestamp) {
        this.maxTimestamp = maxTimestamp;
        this.offsetOfMaxTimestamp = offsetOfMaxTimestamp;
        this.bytesSinceLastIndexEntry = 0;
    }

    /** Publishes the result of a load: {@code validSize} bytes holding offsets below {@code nextOffset}. */
    void loaded(int validSize, long nextOffset, long nowMs) throws IOException {
        if (log.size() > validSize) {
            log.truncate(validSize);
        }
        this.size = validSize;
        this.flushedSize = validSize;
        this.nextOffset = nextOffset;
        this.firstAppendMs = validSize > 0 ? nowMs : -1;
    }

    /** Adds the final time index entry so its last entry is this segment's largest timestamp. */
    void onBecomeInactive() throws IOException {
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
    }

    /** Lets both indexes drop their in-memory copies: this segment takes no more appends. */
    void releaseIndexMemory() {
        offsetIndex.releaseMemory();
        timeIndex.releaseMemory();
    }

    /**
     * Closes both index files until a lookup, append or needed flush opens them again (decision 0048): after a
     * load, and once an inactive segment's indexes were forced, so an idle segment holds one descriptor.
     */
    void releaseIndexFiles() throws IOException {
        try {
            offsetIndex.releaseFile();
        } finally {
            timeIndex.releaseFile();
        }
    }

    /**
     * Forces only the data file, if anything was appended since it was last forced: what durability
     * needs, since recovery rebuilds the indexes of every segment past the recovery point from the
     * data. Returns whether it forced. Callers serialize calls, with {@link #forceIndexes()} too.
     */
    boolean forceLogIfDirty() throws IOException {
        int target = size;
        if (target == flushedSize) {
            return false;
        }
        log.force(false);
        flushedSize = target;
        indexesBehindLog = true;
        return true;
    }

    /**
     * After a force of the data file, forces each index file that got or lost entries since it was last
     * forced; a no-op while the data file was not forced since (a segment nothing was written to forces
     * nothing, as before the data and indexes were forced apart).
     */
    void forceIndexes() throws IOException {
        if (!indexesBehindLog) {
            return;
        }
        offsetIndex.flush();
        timeIndex.flush();
        indexesBehindLog = false;
    }

    /** Forces the data and index files unconditionally. */
    void force() throws IOException {
        log.force(false);
        offsetIndex.flush();
        timeIndex.flush();
    }

    /** Reads the first {@code dst.remaining()} bytes of the batch at {@code position} into {@code dst}. */
    void readHeader(long position, ByteBuffer dst) throws IOException {
        dst.clear();
        FileIo.readFully(log, dst, position);
        dst.flip();
    }

    /**
     * Position of the batch that contains {@code offset}, scanning forward from the index, or -1
     * if no batch below {@code size} contains it. Leaves that batch's header in {@code hdr}.
     */
    long find(long offset, long startPosition, int limit, ByteBuffer hdr) throws IOException {
        return find(offset, startPosition, limit, hdr, Long.MAX_VALUE);
    }

    private long find(long offset, long startPosition, int limit, ByteBuffer hdr, long nextBase) throws IOException {
        long pos = startPosition;
        long previousLast = baseOffset - 1;
        while (pos < limit) {
            readHeader(pos, hdr);
            long last = checkHeader(pos, limit, hdr, previousLast, nextBase);
            if (last >= offset) {
                return pos;
            }
            previousLast = last;
            pos += hdr.getInt(RecordBatchHeader.LENGTH_OFFSET) + RecordBatchHeader.LOG_OVERHEAD;
        }
        return -1;
    }

    /**
     * The read path's cheap header check (decision 0018): magic 2, a length that fits the segment,
     * a base offset inside this segment and above the previous batch's last offset. Returns the
     * batch's last offset; on a failure marks the range from {@code pos} damaged and throws.
     */
    private long checkHeader(long pos, int limit, ByteBuffer hdr, long previousLast, long nextBase) {
        long base = hdr.getLong(RecordBatchHeader.BASE_OFFSET_OFFSET);
        int length = hdr.getInt(RecordBatchHeader.LENGTH_OFFSET);
        String problem = null;
        if (hdr.get(RecordBatchHeader.MAGIC_OFFSET) != 2) {
            problem = "magic " + hdr.get(RecordBatchHeader.MAGIC_OFFSET);
        } else if (length < RecordBatchHeader.HEADER_SIZE - RecordBatchHeader.LOG_OVERHEAD
                || pos + length + RecordBatchHeader.LOG_OVERHEAD > limit) {
            problem = "batch length " + length;
        } else if (base < baseOffset || base <= previousLast) {
            problem = "base offset " + base + " after last offset " + previousLast;
        } else if (hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET) < 0
                || base + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET) >= nextBase) {
            problem = "offsets " + base + "+" + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET)
                    + " not below the next segment's base offset " + nextBase;
        }
        if (problem == null) {
            return base + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET);
        }
        SegmentDamage d = new SegmentDamage(pos, limit, Math.max(previousLast + 1, baseOffset), Long.MAX_VALUE,
                "header: " + problem);
        markDamaged(d);
        throw corrupt(d);
    }

    /** The exception a read touching {@code d} throws. */
    CorruptRecordException corrupt(SegmentDamage d) {
        return new CorruptRecordException("Damaged batch data in " + logFile() + " at byte " + d.position()
                + " (offsets from " + d.firstOffset() + "): " + d.reason(), d.firstOffset());
    }

    /**
     * Records a damaged range, logging it at ERROR the first time (a range starting at the same
     * position is reported once). Returns true if it was new.
     */
    boolean markDamaged(SegmentDamage d) {
        synchronized (this) {
            for (SegmentDamage known : damage) {
                if (known.position() == d.position()) {
                    return false;
                }
            }
            List<SegmentDamage> next = new ArrayList<>(damage);
            next.add(d);
            next.sort((a, b) -> Long.compare(a.position(), b.position()));
            damage = List.copyOf(next);
        }
        LOG.error("Damaged data in {} at byte position {}..{}, offsets {}..{}: {}; reads touching it are answered "
                        + "CORRUPT_MESSAGE", logFile(), d.position(), d.endPosition(), d.firstOffset(),
                d.lastOffset() == Long.MAX_VALUE ? "segment end" : d.lastOffset(), d.reason());
        return true;
    }

    /** Damaged ranges known in this segment, in position order. */
    List<SegmentDamage> damage() {
        return damage;
    }

    long verifiedPosition() {
        return verifiedPosition;
    }

    void verifiedPosition(long position) {
        this.verifiedPosition = position;
    }

    /**
     * Reads whole batches from the one containing {@code offset} (see {@code PartitionLog#read}),
     * stopping at batches starting at or after {@code maxOffset}. Returns null if this segment holds
     * no batch containing {@code offset} (the caller moves to the next segment).
     *
     * <p>After the first batch it jumps over whole batches with the offset index (every batch
     * before an entry that lies within the byte limit fits), so it reads only a few headers
     * however large the slice.
     */
    LogSlice read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        return read(offset, maxBytes, maxOffset, minOneBatch, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(long, int, long, boolean)}; for a closed segment ({@code nextBase}, the next
     * segment's base offset, below {@link Long#MAX_VALUE}) the index jump goes no further than the
     * scrubber's verified position, so every header past it that the slice covers is read and
     * checked, also against {@code nextBase} (decision 0018).
     */
    LogSlice read(long offset, int maxBytes, long maxOffset, boolean minOneBatch, long nextBase)
            throws IOException {
        boolean checkUnverified = nextBase != Long.MAX_VALUE;
        int limit = size;
        List<SegmentDamage> damaged = damage;
        for (SegmentDamage d : damaged) {
            if (d.containsOffset(offset)) {
                throw corrupt(d);
            }
        }
        ByteBuffer hdr = ByteBuffer.allocate(WALK_HEADER_SIZE);
        long pos = find(offset, offsetIndex.lookup(offset), limit, hdr, nextBase);
        if (pos < 0) {
            return null;
        }
        long start = pos;
        long firstOffset = hdr.getLong(0);
        int firstSize = hdr.getInt(RecordBatchHeader.LENGTH_OFFSET) + RecordBatchHeader.LOG_OVERHEAD;
        if (firstSize > maxBytes && !minOneBatch) {
            return LogSlice.EMPTY;
        }
        long lastOffset = firstOffset + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET);
        pos += firstSize;
        long jumpLimit = Math.min(start + maxBytes, limit);
        if (checkUnverified) {
            jumpLimit = Math.min(jumpLimit, verifiedPosition);
        }
        long jump = jumpLimit <= pos ? -1 : offsetIndex.floorByPosition(jumpLimit, maxOffset);
        if (jump >= 0 && (int) jump > pos) {
            pos = (int) jump;
            lastOffset = baseOffset + (jump >>> 32) - 1;
        }
        while (pos < limit) {
            readHeader(pos, hdr);
            int batchSize = hdr.getInt(RecordBatchHeader.LENGTH_OFFSET) + RecordBatchHeader.LOG_OVERHEAD;
            if (isDamagedAt(damaged, pos)) {
                break; // served up to the damage; the next read starting there gets the error
            }
            long last;
            try {
                last = checkHeader(pos, limit, hdr, lastOffset, nextBase);
            } catch (CorruptRecordException e) {
                break; // marked: the batches before it are served, a read starting there gets the error
            }
            if (hdr.getLong(0) >= maxOffset || pos - start + batchSize > maxBytes) {
                break;
            }
            lastOffset = last;
            pos += batchSize;
        }
        for (SegmentDamage d : damaged) {
            if (d.position() > start && d.position() < pos) {
                // an index jump went over a damaged range: stop before it
                return new LogSlice(log, start, (int) (d.position() - start), firstOffset, d.firstOffset() - 1);
            }
        }
        return new LogSlice(log, start, (int) (pos - start), firstOffset, lastOffset);
    }

    private static boolean isDamagedAt(List<SegmentDamage> damaged, long pos) {
        for (SegmentDamage d : damaged) {
            if (d.position() == pos) {
                return true;
            }
        }
        return false;
    }

    /** Marks the segment deleted and renames its files to {@code *.deleted}; open readers keep working. */
    void retire() throws IOException {
        retire(DELETED_SUFFIX);
    }

    /**
     * As {@link #retire()}, with {@code tail} (ending in {@code .deleted}) after the file names:
     * the cleaner retires segments whose base offset a cleaned segment takes over, perhaps more
     * than once within {@code file.delete.delay.ms}, so each retirement needs its own names.
     */
    void retire(String tail) throws IOException {
        retired = true;
        retiredTail = tail;
        Path log = logFile();
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + tail));
        }
        if (Files.exists(offsetIndex.path())) {
            offsetIndex.renameTo(dir.resolve(fileName(baseOffset, OffsetIndex.SUFFIX) + tail));
        }
        if (Files.exists(timeIndex.path())) {
            timeIndex.renameTo(dir.resolve(fileName(baseOffset, TimeIndex.SUFFIX) + tail));
        }
    }

    /** Closes the files and deletes them (their retired names if {@link #retire()} ran). */
    void destroy() throws IOException {
        closeChannels();
        String tail = retired ? retiredTail : "";
        for (String suffix : new String[] {LOG_SUFFIX, OffsetIndex.SUFFIX, TimeIndex.SUFFIX}) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix) + tail));
        }
    }

    /** Closes a cleaned segment that was not swapped in and deletes its {@code .cleaned} or {@code .swap} files. */
    void destroyCleaned() throws IOException {
        closeChannels();
        for (String suffix : SUFFIXES) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix) + CLEANED_SUFFIX));
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix) + SWAP_SUFFIX));
        }
    }

    /** Clean close: final time index entry, files forced, channels closed. */
    void close() throws IOException {
        if (!retired) {
            onBecomeInactive();
            force();
        }
        closeChannels();
    }

    /** Closes the channels after a failed load, attaching any close failure to {@code cause}. */
    void destroyChannelsQuietly(Exception cause) {
        try {
            closeChannels();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    void closeChannels() throws IOException {
        try (log; offsetIndex; timeIndex) {
            // try-with-resources closes all three, keeping the first failure and suppressing the rest
        }
    }

    long baseOffset() {
        return baseOffset;
    }

    long nextOffset() {
        return nextOffset;
    }

    int size() {
        return size;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    long firstAppendMs() {
        return firstAppendMs;
    }

    boolean isRetired() {
        return retired;
    }

    FileChannel channel() {
        return log;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    Path logFile() {
        return logPath(dir, baseOffset);
    }

    @Override
    public String toString() {
        return logFile() + "[" + baseOffset + ", " + nextOffset + ")";
    }
}
