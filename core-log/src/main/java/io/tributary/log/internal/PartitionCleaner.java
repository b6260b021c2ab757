package io.tributary.log.internal;

import io.tributary.log.CleanerHints;
import io.tributary.log.LogConfig;
import io.tributary.log.RecordBatchHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compacts one partition, as Kafka's cleaner does, in two passes over closed segments:
 *
 * <ol>
 *   <li>Fill the {@link OffsetMap} with the latest offset of each key of the dirty range
 *       [{@code firstDirty}, {@code firstUncleanable}), stopping early if the map fills up (the
 *       rest waits for the next clean).</li>
 *   <li>Rewrite the segments from the first up to that point, in groups that fit one segment, each
 *       group into one {@code .cleaned} segment named by the group's first base offset, keeping a
 *       record unless the map holds a later offset for its key, or it is a tombstone the cleaner
 *       passed over before whose segment is older than {@code delete.retention.ms}. Batches of
 *       aborted transactions ({@link CleanerHints#isAborted}) neither enter the map nor survive,
 *       compressed or not. The cleaned
 *       segment replaces its group through {@code .swap} files ({@link DefaultPartitionLog#replaceSegments}).</li>
 * </ol>
 *
 * <p>Offsets never change: a batch that keeps some records keeps its base offset and last offset
 * delta; a batch that keeps none disappears (a gap in the offsets, as in Kafka) unless it is the
 * last of its group, which stays as an empty batch so that the cleaned segment ends where the
 * group did (recovery of a swap relies on that). Kept as they are: batches without keys' records,
 * compressed batches (Tributary's log does not decompress; their keys stay, and do not count as
 * newer), and control batches unless {@link CleanerHints#canRemoveMarker} allows.
 *
 * <p>Never blocks the partition's writer or readers: only segments below the active one are read,
 * and readers keep the old segments' files until {@code file.delete.delay.ms} after the swap.
 * One instance per cleaner thread.
 */
final class PartitionCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionCleaner.class);
    private static final int OUT_CHUNK = 1 << 20;
    private static final AtomicLong RETIREMENTS = new AtomicLong();

    private final OffsetMap map;
    private final SegmentBatchReader reader;
    private final Throttler throttler;
    private final CleanerHints hints;
    private final ChannelFactory files;
    private final RecordCursor cursor = new RecordCursor();
    private final RecordBatchHeader outHeader = new RecordBatchHeader();
    private ByteBuffer out = ByteBuffer.allocate(OUT_CHUNK);
    /** Header of the last batch read in the current group, when nothing of it was kept. */
    private final byte[] lastBatchHeader = new byte[RecordBatchHeader.HEADER_SIZE];
    private boolean lastBatchKept;

    PartitionCleaner(long mapBytes, Throttler throttler, CleanerHints hints, ChannelFactory files) {
        this.map = new OffsetMap(mapBytes);
        this.reader = new SegmentBatchReader(throttler);
        this.throttler = throttler;
        this.hints = hints;
        this.files = files;
    }

    /** What one clean did. */
    record Result(long endOffset, long bytesRead, long bytesWritten, long recordsRemoved, int segmentsBefore,
                  int segmentsAfter) {
    }

    /**
     * Cleans {@code log}'s {@code range} now, on the calling thread.
     *
     * @throws InterruptedException if the cleaner is stopping; the partition is left as it was
     *                              or with some groups swapped, both complete
     */
    Result clean(DefaultPartitionLog log, CleanableRange range, long nowMs) throws IOException, InterruptedException {
        LogConfig config = log.config();
        long[] bytesRead = {0};
        long endOffset = buildMap(log, range, bytesRead);
        List<List<LogSegment>> groups = group(range.segments(), endOffset, config.segmentBytes());
        long written = 0;
        long removed = 0;
        int after = 0;
        int before = 0;
        long tombstoneHorizon = nowMs - config.deleteRetentionMs();
        for (List<LogSegment> group : groups) {
            before += group.size();
            GroupResult result = cleanGroup(log, group, range.firstDirty(), tombstoneHorizon);
            bytesRead[0] += result.read;
            written += result.written;
            removed += result.removed;
            after++;
        }
        log.firstDirtyOffset(endOffset);
        return new Result(endOffset, bytesRead[0], written, removed, before, after);
    }

    /** Fills the map from the dirty range; returns the offset up to which it holds every key. */
    private long buildMap(DefaultPartitionLog log, CleanableRange range, long[] bytesRead) throws IOException, InterruptedException {
        map.clear();
        long firstDirty = range.firstDirty();
        long[] end = {range.firstUncleanable()};
        for (LogSegment segment : range.segments()) {
            if (segment.nextOffset() <= firstDirty) {
                continue;
            }
            bytesRead[0] += segment.size();
            boolean complete = reader.read(segment, (buffer, header) -> {
                if (header.lastOffset() < firstDirty || !cleanable(header) || aborted(log, header)) {
                    return true;
                }
                cursor.reset(buffer, header.offset(), header);
                while (cursor.next()) {
                    if (cursor.offset() < firstDirty || !cursor.hasKey()) {
                        continue;
                    }
                    if (map.isFull() && map.get(buffer, cursor.keyPosition(), cursor.keyLength()) < 0) {
                        end[0] = cursor.offset();
                        return false;
                    }
                    map.put(buffer, cursor.keyPosition(), cursor.keyLength(), cursor.offset());
                }
                return true;
            });
            if (!complete) {
                break;
            }
        }
        return end[0];
    }

    /**
     * Whether a batch belongs to an aborted transaction: its records never count as a key's latest
     * value, and the rewrite drops them.
     */
    private boolean aborted(DefaultPartitionLog log, RecordBatchHeader header) {
        return header.isTransactional()
                && hints.isAborted(log.topic(), log.partition(), header.producerId(), header.baseOffset());
    }

    /** Whether the records of a batch can be read and compacted here. */
    private static boolean cleanable(RecordBatchHeader header) {
        return !header.isControl() && header.compressionCodec() == 0;
    }

    /**
     * The segments with a base below {@code endOffset}, in runs whose total size fits one segment
     * and whose offsets fit a segment's 32-bit relative index.
     */
    static List<List<LogSegment>> group(List<LogSegment> segments, long endOffset, int segmentBytes) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> current = new ArrayList<>();
        long size = 0;
        for (LogSegment segment : segments) {
            if (segment.baseOffset() >= endOffset) {
                break;
            }
            boolean fits = current.isEmpty() || (size + segment.size() <= segmentBytes
                    && segment.nextOffset() - 1 - current.get(0).baseOffset() <= Integer.MAX_VALUE);
            if (!fits) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(segment);
            size += segment.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private static final class GroupResult {
        long read;
        long written;
        long removed;
    }

    private GroupResult cleanGroup(DefaultPartitionLog log, List<LogSegment> group, long firstDirty,
                                   long tombstoneHorizon) throws IOException, InterruptedException {
        LogSegment first = group.get(0);
        int indexInterval = log.config().indexIntervalBytes();
        GroupResult result = new GroupResult();
        LogSegment cleaned = LogSegment.createCleaned(log.directory(), first.baseOffset(), files);
        boolean swapped = false;
        try {
            out.clear();
            for (LogSegment segment : group) {
                result.read += segment.size();
                boolean dropTombstones = segment.maxTimestamp() < tombstoneHorizon;
                reader.read(segment, (buffer, header) -> {
                    ensureRoom(cleaned, header.sizeInBytes(), indexInterval, result);
                    int before = out.position();
                    result.removed += filterBatch(log, buffer, header, firstDirty, dropTombstones);
                    lastBatchKept = out.position() > before;
                    if (!lastBatchKept) {
                        buffer.get(header.offset(), lastBatchHeader);
                    }
                    return true;
                });
            }
            if (!lastBatchKept) {
                ensureRoom(cleaned, RecordBatchHeader.HEADER_SIZE, indexInterval, result);
                writeEmptyBatch();
            }
            writeOut(cleaned, indexInterval, result);
            cleaned.onBecomeInactive();
            cleaned.force();
            cleaned.releaseIndexMemory();
            String tail = ".c" + RETIREMENTS.incrementAndGet() + LogSegment.DELETED_SUFFIX;
            swapped = log.replaceSegments(group, cleaned, tail);
            if (!swapped) {
                LOG.info("Dropped the cleaned copy of {}: retention changed its segments meanwhile", first);
            }
        } finally {
            if (!swapped) {
                cleaned.destroyCleaned();
            }
        }
        return result;
    }

    /**
     * Writes the group's last batch, which nothing of survived, as an empty batch: same base
     * offset and last offset delta, no records, so the cleaned segment ends where the group did.
     */
    private void writeEmptyBatch() {
        int start = out.position();
        out.put(lastBatchHeader);
        out.putInt(start + RecordBatchHeader.LENGTH_OFFSET, RecordBatchHeader.HEADER_SIZE - RecordBatchHeader.LOG_OVERHEAD);
        out.putInt(start + RecordBatchHeader.RECORDS_COUNT_OFFSET, 0);
        out.putInt(start + RecordBatchHeader.CRC_OFFSET, (int) outHeader.wrap(out, start).computeCrc());
    }

    private void ensureRoom(LogSegment cleaned, int bytes, int indexInterval, GroupResult result)
            throws IOException, InterruptedException {
        if (out.remaining() >= bytes) {
            return;
        }
        writeOut(cleaned, indexInterval, result);
        if (out.capacity() < bytes) {
            out = ByteBuffer.allocate(bytes);
        }
    }

    private void writeOut(LogSegment cleaned, int indexInterval, GroupResult result)
            throws IOException, InterruptedException {
        out.flip();
        if (out.hasRemaining()) {
            throttler.acquire(out.remaining());
            result.written += out.remaining();
            cleaned.append(out, indexInterval, 0);
        }
        out.clear();
    }

    /**
     * Copies what survives of one batch to {@code out}: all of it, part of it as a rebuilt batch,
     * or nothing. Returns the number of records removed.
     */
    private int filterBatch(DefaultPartitionLog log, ByteBuffer buffer, RecordBatchHeader header, long firstDirty,
                            boolean dropTombstones) {
        int batchStart = header.offset();
        int batchSize = header.sizeInBytes();
        if (header.isControl()) {
            if (hints.canRemoveMarker(log.topic(), log.partition(), header.baseOffset())) {
                return 0;
            }
            copy(buffer, batchStart, batchSize);
            return 0;
        }
        boolean aborted = aborted(log, header);
        if (aborted && header.compressionCodec() != 0) {
            return header.recordsCount();
        }
        if (header.compressionCodec() != 0) {
            copy(buffer, batchStart, batchSize);
            return 0;
        }
        int total = header.recordsCount();
        int outStart = out.position();
        copy(buffer, batchStart, RecordBatchHeader.HEADER_SIZE);
        int kept = 0;
        long maxTimestamp = Long.MIN_VALUE;
        cursor.reset(buffer, batchStart, header);
        while (cursor.next()) {
            if (aborted || !retain(buffer, firstDirty, dropTombstones)) {
                continue;
            }
            kept++;
            maxTimestamp = Math.max(maxTimestamp, cursor.timestamp());
            copy(buffer, cursor.recordStart(), cursor.recordSize());
        }
        if (kept == total) {
            out.position(outStart);
            copy(buffer, batchStart, batchSize);
            return 0;
        }
        if (kept == 0) {
            out.position(outStart);
            return total;
        }
        outHeader.wrap(out, outStart);
        out.putInt(outStart + RecordBatchHeader.LENGTH_OFFSET, out.position() - outStart - RecordBatchHeader.LOG_OVERHEAD);
        out.putInt(outStart + RecordBatchHeader.RECORDS_COUNT_OFFSET, kept);
        if (!header.isLogAppendTime()) {
            out.putLong(outStart + RecordBatchHeader.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        }
        out.putInt(outStart + RecordBatchHeader.CRC_OFFSET, (int) outHeader.computeCrc());
        return total - kept;
    }

    private boolean retain(ByteBuffer buffer, long firstDirty, boolean dropTombstones) {
        if (!cursor.hasKey()) {
            return true;
        }
        long latest = map.get(buffer, cursor.keyPosition(), cursor.keyLength());
        if (latest > cursor.offset()) {
            return false;
        }
        return !(cursor.isTombstone() && dropTombstones && cursor.offset() < firstDirty);
    }

    /** Appends {@code size} bytes of the (heap) read buffer from {@code start} to {@code out}. */
    private void copy(ByteBuffer buffer, int start, int size) {
        out.put(buffer.array(), buffer.arrayOffset() + start, size);
    }
}
