package io.tributary.log.internal;

import io.tributary.log.LogSlice;
import io.tributary.log.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

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
 * <p>Thread-safety: a single writer appends; readers on any thread read batches below the
 * published {@link #size()}, which is written after the bytes (and index entries) it covers.
 */
final class LogSegment {
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
    private volatile boolean retired;
    private String retiredTail = DELETED_SUFFIX;

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
        OffsetIndex offsetIndex = OffsetIndex.open(dir.resolve(fileName(baseOffset, OffsetIndex.SUFFIX)), baseOffset, files);
        offsetIndex.truncateToEntries(0);
        TimeIndex timeIndex = TimeIndex.open(dir.resolve(fileName(baseOffset, TimeIndex.SUFFIX)), baseOffset, files);
        timeIndex.truncateToEntries(0);
        return new LogSegment(dir, baseOffset, log, offsetIndex, timeIndex);
    }

    /**
     * Creates the empty {@code *.cleaned} files of a segment the cleaner writes; they take the
     * segment's real names with {@link #renameFiles}.
     */
    static LogSegment createCleaned(Path dir, long baseOffset, ChannelFactory files) throws IOException {
        FileChannel log = files.open(dir.resolve(fileName(baseOffset, LOG_SUFFIX) + CLEANED_SUFFIX));
        log.truncate(0);
        OffsetIndex offsetIndex = OffsetIndex.open(dir.resolve(fileName(baseOffset, OffsetIndex.SUFFIX) + CLEANED_SUFFIX),
                baseOffset, files);
        offsetIndex.truncateToEntries(0);
        TimeIndex timeIndex = TimeIndex.open(dir.resolve(fileName(baseOffset, TimeIndex.SUFFIX) + CLEANED_SUFFIX),
                baseOffset, files);
        timeIndex.truncateToEntries(0);
        return new LogSegment(dir, baseOffset, log, offsetIndex, timeIndex);
    }

    /**
     * Renames the segment's three files from {@code <name><fromTail>} to {@code <name><toTail>}
     * (an empty tail is the real name), the indexes first and the log last: the log's name is
     * what recovery goes by. Open channels keep working.
     */
    void renameFiles(String fromTail, String toTail) throws IOException {
        for (String suffix : SUFFIXES) {
            Path from = dir.resolve(fileName(baseOffset, suffix) + fromTail);
            Files.move(from, from.resolveSibling(fileName(baseOffset, suffix) + toTail),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
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
     * Forces the data and index files if anything was written since the last call. Callers
     * serialize calls. Returns whether the data file was forced.
     */
    boolean flushIfDirty() throws IOException {
        int target = size;
        if (target == flushedSize) {
            return false;
        }
        force();
        flushedSize = target;
        return true;
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
        long pos = startPosition;
        while (pos < limit) {
            readHeader(pos, hdr);
            long last = hdr.getLong(0) + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET);
            if (last >= offset) {
                return pos;
            }
            pos += hdr.getInt(RecordBatchHeader.LENGTH_OFFSET) + RecordBatchHeader.LOG_OVERHEAD;
        }
        return -1;
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
        int limit = size;
        ByteBuffer hdr = ByteBuffer.allocate(WALK_HEADER_SIZE);
        long pos = find(offset, offsetIndex.lookup(offset), limit, hdr);
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
        long jump = offsetIndex.floorByPosition(Math.min(start + maxBytes, limit), maxOffset);
        if (jump >= 0 && (int) jump > pos) {
            pos = (int) jump;
            lastOffset = baseOffset + (jump >>> 32) - 1;
        }
        while (pos < limit) {
            readHeader(pos, hdr);
            int batchSize = hdr.getInt(RecordBatchHeader.LENGTH_OFFSET) + RecordBatchHeader.LOG_OVERHEAD;
            if (hdr.getLong(0) >= maxOffset || pos - start + batchSize > maxBytes) {
                break;
            }
            lastOffset = hdr.getLong(0) + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET);
            pos += batchSize;
        }
        return new LogSlice(log, start, (int) (pos - start), firstOffset, lastOffset);
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
        for (String suffix : new String[] {LOG_SUFFIX, OffsetIndex.SUFFIX, TimeIndex.SUFFIX}) {
            Path path = dir.resolve(fileName(baseOffset, suffix));
            if (Files.exists(path)) {
                Files.move(path, path.resolveSibling(path.getFileName() + tail));
            }
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
