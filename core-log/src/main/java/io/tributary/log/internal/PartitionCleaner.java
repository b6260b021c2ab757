package io.tributary.log.internal;

import io.tributary.log.BatchCompression;
import io.tributary.log.CleanerHints;
import io.tributary.log.LogConfig;
import io.tributary.log.RecordBatchHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * last of its group, which stays as an empty (uncompressed) batch so that the cleaned segment ends where the
 * group did (recovery of a swap relies on that). Kept as they are: batches without keys' records,
 * and control batches unless {@link CleanerHints#canRemoveMarker} allows.
 *
 * <p>A compressed batch is read as an uncompressed one once its records are decompressed (one
 * batch at a time), and what survives of it is compressed again with its codec
 * ({@link BatchCompression}), as Kafka's cleaner does.
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
    /** The batch being cleaned with its records decompressed, and what survives of it before compression. */
    private final RecordBatchHeader plainHeader = new RecordBatchHeader();
    private ByteBuffer plain = ByteBuffer.allocate(0);
    private ByteBuffer filtered = ByteBuffer.allocate(0);
    /** Header of the last batch read in the current group, when nothing of it was kept. */
    private final byte[] lastBatchHeader = new byte[RecordBatchHeader.HEADER_SIZE];
    private boolean lastBatchKept;
    /**
     * Per producer, whether a data batch of its current transaction survived this clean so far: a
     * marker whose transaction kept nothing may go once it is past {@code delete.retention.ms}.
     */
    private final Map<Long, Boolean> transactionKept = new HashMap<>();

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
        transactionKept.clear();
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
                ByteBuffer records = buffer;
                RecordBatchHeader recordsHeader = header;
                if (header.compressionCodec() != 0) {
                    records = decompressed(buffer, header);
                    recordsHeader = plainHeader.wrap(records, 0);
                }
                cursor.reset(records, recordsHeader.offset(), recordsHeader);
                while (cursor.next()) {
                    if (cursor.offset() < firstDirty || !cursor.hasKey()) {
                        continue;
                    }
                    if (map.isFull() && map.get(records, cursor.keyPosition(), cursor.keyLength()) < 0) {
                        end[0] = cursor.offset();
                        return false;
                    }
                    map.put(records, cursor.keyPosition(), cursor.keyLength(), cursor.offset());
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
        return !header.isControl();
    }

    /**
     * The batch at {@code header} of a compressed batch, its records decompressed: its header (length
     * counting the uncompressed records, attributes unchanged) then the records, from position 0
     * of a buffer reused for the next batch, so one batch is decompressed at a time.
     */
    private ByteBuffer decompressed(ByteBuffer buffer, RecordBatchHeader header) {
        int start = buffer.arrayOffset() + header.offset();
        byte[] records = BatchCompression.decompress(header.compressionCodec(), buffer.array(),
                start + RecordBatchHeader.RECORDS_OFFSET, header.sizeInBytes() - RecordBatchHeader.RECORDS_OFFSET);
        int size = RecordBatchHeader.RECORDS_OFFSET + records.length;
        if (plain.capacity() < size) {
            plain = ByteBuffer.allocate(size);
        }
        plain.clear();
        plain.put(buffer.array(), start, RecordBatchHeader.RECORDS_OFFSET);
        plain.put(records);
        plain.putInt(RecordBatchHeader.LENGTH_OFFSET, size - RecordBatchHeader.LOG_OVERHEAD);
        return plain;
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
                    if (header.isTransactional() && !header.isControl()) {
                        transactionKept.merge(header.producerId(), lastBatchKept, Boolean::logicalOr);
                    }
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
            cleaned.releaseIndexFiles();
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
        // no records: no codec (Kafka writes its empty batches uncompressed)
        short attributes = out.getShort(start + RecordBatchHeader.ATTRIBUTES_OFFSET);
        out.putShort(start + RecordBatchHeader.ATTRIBUTES_OFFSET,
                (short) (attributes & ~RecordBatchHeader.COMPRESSION_CODEC_MASK));
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
            // As Kafka: a marker goes once nothing of its transaction is left and it was cleaned over
            // before, past delete.retention.ms (the tombstone rule), so every reader had the time to pass it.
            boolean dataLeft = Boolean.TRUE.equals(transactionKept.remove(header.producerId()));
            if (hints.canRemoveMarker(log.topic(), log.partition(), header.baseOffset())
                    || (!dataLeft && dropTombstones && header.lastOffset() < firstDirty)) {
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
            return filterCompressed(log, buffer, header, firstDirty, dropTombstones);
        }
        return filterRecords(log, buffer, header, firstDirty, dropTombstones);
    }

    /**
     * Filters a compressed batch's records as an uncompressed one's, then writes what survives
     * compressed with the batch's codec: the original bytes if every record stays, nothing if none
     * does, else a rebuilt batch with the same header fields (base offset, last offset delta,
     * producer fields) but its records count, max timestamp, length and CRC.
     */
    private int filterCompressed(DefaultPartitionLog log, ByteBuffer buffer, RecordBatchHeader header, long firstDirty,
                                 boolean dropTombstones) {
        ByteBuffer records = decompressed(buffer, header);
        RecordBatchHeader recordsHeader = plainHeader.wrap(records, 0);
        ByteBuffer saved = out;
        if (filtered.capacity() < recordsHeader.sizeInBytes()) {
            filtered = ByteBuffer.allocate(recordsHeader.sizeInBytes());
        }
        filtered.clear();
        out = filtered;
        int removed;
        try {
            removed = filterRecords(log, records, recordsHeader, firstDirty, dropTombstones);
        } finally {
            out = saved;
        }
        if (removed == 0) {
            copy(buffer, header.offset(), header.sizeInBytes());
            return 0;
        }
        if (filtered.position() == 0) {
            return removed;
        }
        byte[] compressed = BatchCompression.compress(header.compressionCodec(), filtered.array(),
                RecordBatchHeader.RECORDS_OFFSET, filtered.position() - RecordBatchHeader.RECORDS_OFFSET);
        int size = RecordBatchHeader.RECORDS_OFFSET + compressed.length;
        if (out.remaining() < size) {
            ByteBuffer larger = ByteBuffer.allocate(out.position() + size);
            larger.put(out.flip());
            out = larger;
        }
        int outStart = out.position();
        out.put(filtered.array(), 0, RecordBatchHeader.RECORDS_OFFSET);
        out.put(compressed);
        out.putInt(outStart + RecordBatchHeader.LENGTH_OFFSET, size - RecordBatchHeader.LOG_OVERHEAD);
        out.putInt(outStart + RecordBatchHeader.CRC_OFFSET, (int) outHeader.wrap(out, outStart).computeCrc());
        return removed;
    }

    /** {@link #filterBatch} for the records of an uncompressed batch (or a decompressed one). */
    private int filterRecords(DefaultPartitionLog log, ByteBuffer buffer, RecordBatchHeader header, long firstDirty,
                              boolean dropTombstones) {
        int batchStart = header.offset();
        int batchSize = header.sizeInBytes();
        boolean aborted = aborted(log, header);
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
