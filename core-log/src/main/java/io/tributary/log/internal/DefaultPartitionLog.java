package io.tributary.log.internal;

import io.tributary.log.BatchVisitor;
import io.tributary.log.LogConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.TimestampOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A partition directory ({@code <topic>-<partition>}) of segments keyed by base offset; the last
 * one is active and takes the appends.
 *
 * <p>Publication order for readers: bytes and index entries, then the segment's size, then
 * {@link #logEndOffset()}, then (from the pipeline) {@link #highWatermark()}. New segments enter
 * the map before any offset in them is published; retention raises {@link #logStartOffset()} before
 * removing a segment from the map.
 *
 * <p>A failed flush, or a failed append whose cut-back failed too, takes the partition offline
 * ({@link OfflineState}): appends and flushes then throw without touching the files, the recovery
 * point stays at the last successful flush, and {@link #close()} forces nothing.
 */
final class DefaultPartitionLog implements PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultPartitionLog.class);

    private final String topic;
    private final int partition;
    private final Path dir;
    private volatile LogConfig config;
    private final LogServices services;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
    /** Segments rolled since the last force of data; their tails may not be forced yet. */
    private final Queue<LogSegment> rolledUnflushed = new ConcurrentLinkedQueue<>();
    /** Rolled segments whose data {@link #forceData()} forced; their indexes wait for the next {@link #flush()}. */
    private final Queue<LogSegment> rolledIndexesUnforced = new ConcurrentLinkedQueue<>();
    private final RecordBatchHeader header = new RecordBatchHeader();
    private final AtomicLong flushCount = new AtomicLong();
    private final Object flushLock = new Object();
    private final PartitionReader reader;
    private final OfflineState offline;
    /** Held while the segment list changes other than by a roll: retention and the cleaner's swaps. */
    private final Object segmentsLock = new Object();
    /** Counts the cleaner's swaps, so readers pair a segment with its successor from one state of the map. */
    private final SegmentMapVersion segmentChanges = new SegmentMapVersion();
    /** Set while a cleaner thread works on this partition, so no other takes it. */
    private final java.util.concurrent.atomic.AtomicBoolean cleaning = new java.util.concurrent.atomic.AtomicBoolean();
    /** Where the last clean stopped: offsets below it hold no key twice (the cleaner's checkpoint). */
    private volatile long firstDirtyOffset;

    private volatile LogSegment active;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile boolean rollRequested;
    /** Set by a roll: the directory has a new entry the next flush must force. */
    private volatile boolean directoryDirty;
    /** Offsets below this are known forced to the device, data and indexes. */
    private volatile long recoveryPoint;
    /** Offsets below this are known forced to the device, data only (at or past the recovery point). */
    private volatile long dataForcedEnd;

    /** {@code loaded} must be non-empty, in offset order, each continuing the previous one. */
    DefaultPartitionLog(String topic, int partition, Path dir, LogConfig config, LogServices services,
                        List<LogSegment> loaded, long checkpointedLogStart) {
        this.topic = topic;
        this.partition = partition;
        this.dir = dir;
        this.config = config;
        this.services = services;
        this.offline = new OfflineState(topic + "-" + partition);
        for (LogSegment segment : loaded) {
            segments.put(segment.baseOffset(), segment);
        }
        this.reader = new PartitionReader(segments, segmentChanges);
        this.active = segments.lastEntry().getValue();
        for (LogSegment segment : segments.headMap(active.baseOffset()).values()) {
            segment.releaseIndexMemory();
        }
        this.logEndOffset = active.nextOffset();
        this.logStartOffset = Math.min(Math.max(segments.firstKey(), checkpointedLogStart), logEndOffset);
        this.highWatermark = logEndOffset;
        this.recoveryPoint = logEndOffset;
        this.dataForcedEnd = logEndOffset;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    /** Replaces the configuration; the next append, roll, flush and retention pass use the new one. */
    void config(LogConfig config) {
        this.config = config;
    }

    @Override
    public long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public long highWatermark() {
        return highWatermark;
    }

    @Override
    public long deleteRecordsBefore(long offset) throws IOException {
        long hw = highWatermark;
        if (offset < 0 || offset > hw) {
            throw new OffsetOutOfRangeException(offset, logStartOffset, hw);
        }
        if (raiseLogStartOffset(offset)) {
            LOG.info("Log start offset of {} raised to {} by a delete-records request", this, offset);
            services.startOffsets().record();
        }
        return logStartOffset;
    }

    /** Raises the start offset to {@code offset} unless it is already there or beyond; true if it moved. */
    private synchronized boolean raiseLogStartOffset(long offset) {
        if (offset <= logStartOffset) {
            return false;
        }
        logStartOffset = offset;
        return true;
    }

    /** @throws IllegalArgumentException if {@code offset} is negative or beyond the log end */
    @Override
    public void highWatermark(long offset) {
        if (offset < 0 || offset > logEndOffset) {
            throw new IllegalArgumentException("High watermark " + offset + " outside [0, " + logEndOffset + "] of "
                    + this);
        }
        highWatermark = offset;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The buffer's position is left as it was. All batches of one call go to one segment, and
     * a failure leaves none of them behind (or takes the partition offline if it cannot make sure).
     *
     * @throws IllegalArgumentException if the bytes are not whole v2 batches with contiguous base
     *                                  offsets starting at {@link #logEndOffset()}
     */
    @Override
    public void append(ByteBuffer batches) throws IOException {
        offline.check();
        if (!batches.hasRemaining()) {
            return;
        }
        long lastOffset = checkBatches(batches);
        LogSegment segment = active;
        long now = services.clock().millis();
        if (shouldRoll(segment, batches.remaining(), lastOffset, now)) {
            segment = roll(now);
        }
        try {
            segment.append(batches, config.indexIntervalBytes(), now);
        } catch (CutBackFailedException e) {
            throw offline.goOffline("write and its cut-back", logEndOffset, e);
        }
        logEndOffset = lastOffset + 1;
    }

    private long checkBatches(ByteBuffer batches) {
        long expected = logEndOffset;
        int end = batches.limit();
        for (int p = batches.position(); p < end; ) {
            if (end - p < RecordBatchHeader.HEADER_SIZE) {
                throw new IllegalArgumentException("Incomplete batch header at byte " + p + " of the append to " + this);
            }
            header.wrap(batches, p);
            int length = header.batchLength();
            if (length < RecordBatchHeader.HEADER_SIZE - RecordBatchHeader.LOG_OVERHEAD
                    || length > end - p - RecordBatchHeader.LOG_OVERHEAD) {
                throw new IllegalArgumentException("Batch length " + length + " at byte " + p + " does not fit the append to " + this);
            }
            if (header.magic() != RecordBatchHeader.MAGIC_V2) {
                throw new IllegalArgumentException("Batch magic " + header.magic() + " is not 2 in the append to " + this);
            }
            if (header.baseOffset() != expected || header.lastOffsetDelta() < 0) {
                throw new IllegalArgumentException("Batch offsets [" + header.baseOffset() + ", " + header.lastOffset()
                        + "] do not continue at " + expected + " in " + this);
            }
            expected = header.lastOffset() + 1;
            p += header.sizeInBytes();
        }
        return expected - 1;
    }

    private boolean shouldRoll(LogSegment segment, int bytes, long lastOffset, long now) {
        if (segment.size() == 0) {
            return false;
        }
        LogConfig config = this.config;
        long maxAgeMs = config.cleanupPolicy().compacts()
                ? Math.min(config.segmentMs(), config.maxCompactionLagMs()) : config.segmentMs();
        return rollRequested
                || (long) segment.size() + bytes > config.segmentBytes()
                || now - segment.firstAppendMs() >= maxAgeMs
                || lastOffset - segment.baseOffset() > Integer.MAX_VALUE;
    }

    private LogSegment roll(long now) throws IOException {
        LogSegment previous = active;
        previous.onBecomeInactive();
        previous.releaseIndexMemory();
        LogSegment next = LogSegment.create(dir, logEndOffset, services.files());
        directoryDirty = true;
        segments.put(next.baseOffset(), next);
        rolledUnflushed.add(previous);
        active = next;
        rollRequested = false;
        LOG.info("Rolled {} to a new segment at offset {} ({} bytes, age {} ms)", this, next.baseOffset(),
                previous.size(), now - previous.firstAppendMs());
        return next;
    }

    /** Asks the writer to roll at its next append (used when retention finds the active segment expired). */
    void requestRoll() {
        rollRequested = true;
    }

    /**
     * {@inheritDoc} Safe to call from the flusher thread while the writer appends. Any failure,
     * of a data file, an index or the directory, takes the partition offline; the offsets from
     * the recovery point on are the uncertain ones.
     */
    @Override
    public void flush() throws IOException {
        synchronized (flushLock) {
            offline.check();
            // Every byte below this end was written before it was published, and its segment is
            // either active or queued by now, so after the forces below it is durable.
            long end = logEndOffset;
            try {
                forceDataFiles();
                LogSegment segment;
                while ((segment = rolledIndexesUnforced.poll()) != null) {
                    // its last write was the final time index entry at the roll: from here it only serves lookups
                    forceSegment(segment, rolled -> {
                        rolled.forceIndexes();
                        rolled.releaseIndexFiles();
                    });
                }
                forceSegment(active, LogSegment::forceIndexes);
            } catch (IOException e) {
                throw offline.goOffline("fsync", dataForcedEnd, e);
            }
            dataForcedEnd = Math.max(dataForcedEnd, end);
            recoveryPoint = Math.max(recoveryPoint, end);
        }
    }

    /**
     * {@inheritDoc} Safe to call from the flusher thread while the writer appends. The recovery point
     * does not move: recovery validates, and rebuilds the indexes of, everything past it. A failure
     * takes the partition offline, as one of {@link #flush()} does.
     */
    @Override
    public void forceData() throws IOException {
        synchronized (flushLock) {
            offline.check();
            long end = logEndOffset;
            try {
                forceDataFiles();
            } catch (IOException e) {
                throw offline.goOffline("fsync", dataForcedEnd, e);
            }
            dataForcedEnd = Math.max(dataForcedEnd, end);
        }
    }

    /** The directory after a roll, and the data file of each segment written since its last force. */
    private void forceDataFiles() throws IOException {
        if (directoryDirty) {
            directoryDirty = false;
            FileIo.fsyncDirectory(dir);
        }
        LogSegment segment;
        while ((segment = rolledUnflushed.poll()) != null) {
            forceSegment(segment, this::forceLog);
            rolledIndexesUnforced.add(segment);
        }
        forceSegment(active, this::forceLog);
    }

    private void forceLog(LogSegment segment) throws IOException {
        if (segment.forceLogIfDirty()) {
            flushCount.incrementAndGet();
        }
    }

    /** Whether {@link #forceData()} forced data the recovery point does not cover yet (its indexes wait for a flush). */
    boolean indexesBehindData() {
        return dataForcedEnd > recoveryPoint;
    }

    /** {@inheritDoc} Set by the first failed flush or cut-back of this partition, on any thread. */
    @Override
    public Optional<String> offlineReason() {
        return offline.reason();
    }

    /** Whether the partition is offline (see {@link #offlineReason()}). */
    boolean isOffline() {
        return offline.isOffline();
    }

    /** A force of one segment's files, through {@link #forceSegment}. */
    @FunctionalInterface
    private interface SegmentForce {
        void force(LogSegment segment) throws IOException;
    }

    private static void forceSegment(LogSegment segment, SegmentForce force) throws IOException {
        if (segment.isRetired()) {
            return;
        }
        try {
            force.force(segment);
        } catch (ClosedChannelException e) {
            if (!segment.isRetired()) {
                throw e;
            }
            // retention deleted the segment while we flushed it: nothing of it needs to be durable
        }
    }

    /** Offset below which everything is known to be on the device (see {@link RecoveryPointCheckpoint}). */
    long recoveryPoint() {
        return recoveryPoint;
    }

    @Override
    public long flushCount() {
        return flushCount.get();
    }

    @Override
    public LogSlice read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        long limit = Math.min(maxOffset, highWatermark);
        long start = logStartOffset;
        long end = logEndOffset;
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException(offset, start, end);
        }
        if (offset >= limit) {
            return LogSlice.EMPTY;
        }
        LogSlice slice = reader.read(offset, maxBytes, limit, minOneBatch);
        if (slice == null) {
            // retention removed the segment between the range check and the lookup
            throw new OffsetOutOfRangeException(offset, logStartOffset, logEndOffset);
        }
        return slice;
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) throws IOException {
        return reader.offsetForTimestamp(timestamp, highWatermark);
    }

    /** {@inheritDoc} Reads only the 61-byte headers, up to the log end offset at the time of the call. */
    @Override
    public void scanBatches(long fromOffset, BatchVisitor visitor) throws IOException {
        reader.scanBatches(fromOffset, logEndOffset, visitor);
    }

    @Override
    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    /**
     * Deletes the oldest segments that retention no longer keeps ({@link RetentionPolicy}) and
     * those wholly below the log start offset (raised by {@link #deleteRecordsBefore}); the active
     * segment is never deleted, but is asked to roll if all its data expired. Called by the
     * scheduler thread. Returns the number of segments deleted.
     */
    int applyRetention(long nowMs) throws IOException {
        synchronized (segmentsLock) {
            return applyRetentionLocked(nowMs);
        }
    }

    /**
     * Closes the index files of every segment but the active one (decision 0048): lookups in old segments
     * opened them again, and each would otherwise hold two descriptors until the log closes. Called by the
     * scheduler thread after each retention pass; the next lookup in such a segment opens its index again.
     */
    void releaseInactiveIndexFiles() throws IOException {
        LogSegment current = active;
        for (LogSegment segment : segments.headMap(current.baseOffset()).values()) {
            segment.releaseIndexFiles();
        }
    }

    private int applyRetentionLocked(long nowMs) throws IOException {
        List<LogSegment> all = List.copyOf(segments.values());
        List<LogSegment> expired = config.cleanupPolicy().deletes()
                ? RetentionPolicy.expiredSegments(all, config, nowMs) : List.of();
        int belowStart = 0;
        long start = logStartOffset;
        while (belowStart < all.size() - 1 && all.get(belowStart + 1).baseOffset() <= start) {
            belowStart++;
        }
        if (belowStart > expired.size()) {
            expired = all.subList(0, belowStart);
        }
        int deleted = 0;
        for (LogSegment segment : expired) {
            if (segment == active) {
                requestRoll();
                break;
            }
            Long next = segments.higherKey(segment.baseOffset());
            raiseLogStartOffset(next);
            segments.remove(segment.baseOffset());
            services.reaper().retire(segment);
            deleted++;
            LOG.info("Retention deleted {}; log start offset of {} is now {}", segment.logFile(), this, logStartOffset);
        }
        return deleted;
    }

    /**
     * Clean close: everything forced, final index entries written, files closed. An offline
     * partition's files are only closed: no fsync, whose success would prove nothing, and the
     * recovery point stays at the last successful flush.
     */
    void close() throws IOException {
        if (offline.isOffline()) {
            closeEverySegment(LogSegment::closeChannels);
            return;
        }
        closeEverySegment(LogSegment::close);
        recoveryPoint = logEndOffset;
        dataForcedEnd = logEndOffset;
    }

    /** Closes the files without forcing anything: the partition is being deleted. */
    void discard() throws IOException {
        closeEverySegment(LogSegment::closeChannels);
    }

    /**
     * Applies {@code closer} to every segment, also after one fails, then throws the first failure
     * with the later ones suppressed in it.
     */
    private void closeEverySegment(SegmentCloser closer) throws IOException {
        IOException failure = null;
        for (LogSegment segment : segments.values()) {
            try {
                closer.close(segment);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @FunctionalInterface
    private interface SegmentCloser {
        void close(LogSegment segment) throws IOException;
    }

    /**
     * Puts {@code cleaned} in the place of {@code group} (contiguous segments, the first with the
     * same base offset), durably and crash-safe:
     *
     * <ol>
     *   <li>{@code cleaned}'s files go from {@code .cleaned} to {@code .swap}, and the directory is
     *       forced: from here a restart completes the swap ({@link PartitionLoader});</li>
     *   <li>the segment map takes {@code cleaned}, so new reads go to it;</li>
     *   <li>the old segments are retired (renamed with {@code retireTail}, deleted after
     *       {@code file.delete.delay.ms}, so reads holding them finish);</li>
     *   <li>{@code .swap} becomes the real names and the directory is forced again.</li>
     * </ol>
     *
     * Returns false and changes nothing if retention removed one of the group meanwhile.
     * A failure after step 1 is logged and left to the next start to complete.
     */
    boolean replaceSegments(List<LogSegment> group, LogSegment cleaned, String retireTail) throws IOException {
        synchronized (segmentsLock) {
            for (LogSegment old : group) {
                if (segments.get(old.baseOffset()) != old) {
                    return false;
                }
            }
            cleaned.renameFiles(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
            FileIo.fsyncDirectory(dir);
            segmentChanges.beginChange();
            try {
                segments.put(cleaned.baseOffset(), cleaned);
                for (int i = 1; i < group.size(); i++) {
                    segments.remove(group.get(i).baseOffset());
                }
            } finally {
                segmentChanges.endChange();
            }
            try {
                for (LogSegment old : group) {
                    services.reaper().retire(old, retireTail);
                }
                cleaned.renameFiles(LogSegment.SWAP_SUFFIX, "");
                FileIo.fsyncDirectory(dir);
            } catch (IOException e) {
                LOG.error("Could not finish swapping the cleaned segment {} into {}; the next start completes it",
                        cleaned, this, e);
            }
            return true;
        }
    }

    /** Claims the partition for one cleaner thread; false if another has it. */
    boolean startCleaning() {
        return cleaning.compareAndSet(false, true);
    }

    void doneCleaning() {
        cleaning.set(false);
    }

    long firstDirtyOffset() {
        return firstDirtyOffset;
    }

    void firstDirtyOffset(long offset) {
        firstDirtyOffset = offset;
    }

    Path directory() {
        return dir;
    }

    /**
     * Segments currently in the log, oldest first: a snapshot of one state of the map, never one taken
     * halfway through a swap (which would list a merged segment beside one it replaces).
     */
    List<LogSegment> segments() {
        while (true) {
            long version = segmentChanges.stableVersion();
            List<LogSegment> snapshot = List.copyOf(segments.values());
            if (segmentChanges.unchangedSince(version)) {
                return snapshot;
            }
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
