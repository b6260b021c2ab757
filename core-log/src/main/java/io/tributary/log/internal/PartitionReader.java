package io.tributary.log.internal;

import io.tributary.log.BatchVisitor;
import io.tributary.log.LogSlice;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.TimestampOffset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * The read side of a partition: finds batches by offset or time across its segments. Runs on any
 * thread, concurrently with the writer, and never looks past the limits it is given (a high
 * watermark or log end read once by the caller) or past a segment's published size.
 */
final class PartitionReader {
    private final NavigableMap<Long, LogSegment> segments;
    private final SegmentMapVersion changes;

    PartitionReader(NavigableMap<Long, LogSegment> segments, SegmentMapVersion changes) {
        this.segments = segments;
        this.changes = changes;
    }

    /** A segment and the base offset of the one after it in the same state of the map ({@link Long#MAX_VALUE} if last). */
    private record Located(long baseOffset, LogSegment segment, long nextBase) {
    }

    /**
     * The segment at or below {@code offset} ({@code floor}) or the first above it, with its successor's
     * base offset, both seen in one state of the map: a segment the cleaner just merged, paired with a
     * successor it replaces but has not removed yet, would make the read path's header check report
     * healthy batches as damaged.
     */
    private Located locate(long offset, boolean floor) {
        while (true) {
            long version = changes.stableVersion();
            Map.Entry<Long, LogSegment> entry = floor ? segments.floorEntry(offset) : segments.higherEntry(offset);
            Long next = entry == null ? null : segments.higherKey(entry.getKey());
            if (changes.unchangedSince(version)) {
                return entry == null ? null
                        : new Located(entry.getKey(), entry.getValue(), next == null ? Long.MAX_VALUE : next);
            }
        }
    }

    /**
     * Whole batches from the one containing {@code offset}, inside one segment, below
     * {@code limit}; null if no segment holds {@code offset} any more.
     */
    LogSlice read(long offset, int maxBytes, long limit, boolean minOneBatch) throws IOException {
        Located located = locate(offset, true);
        if (located == null) {
            return null;
        }
        while (located != null) {
            LogSlice slice = located.segment().read(offset, maxBytes, limit, minOneBatch, located.nextBase());
            if (slice != null) {
                return slice;
            }
            located = locate(located.baseOffset(), false);
        }
        return LogSlice.EMPTY;
    }

    /** The first batch below {@code limit} whose max timestamp is at or after {@code timestamp}. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp, long limit) throws IOException {
        ByteBuffer hdr = ByteBuffer.allocate(RecordBatchHeader.MAX_TIMESTAMP_OFFSET + 8);
        for (LogSegment segment : segments.values()) {
            if (segment.baseOffset() >= limit) {
                break;
            }
            if (segment.maxTimestamp() < timestamp) {
                continue;
            }
            int size = segment.size();
            long from = segment.timeIndex().lookup(timestamp);
            for (long pos = segment.offsetIndex().lookup(from); pos < size; ) {
                segment.readHeader(pos, hdr);
                long base = hdr.getLong(RecordBatchHeader.BASE_OFFSET_OFFSET);
                if (base >= limit) {
                    return Optional.empty();
                }
                int batchSize = hdr.getInt(RecordBatchHeader.LENGTH_OFFSET) + RecordBatchHeader.LOG_OVERHEAD;
                long maxTimestamp = hdr.getLong(RecordBatchHeader.MAX_TIMESTAMP_OFFSET);
                if (maxTimestamp >= timestamp) {
                    long last = base + hdr.getInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET);
                    return Optional.of(new TimestampOffset(maxTimestamp, base,
                            new LogSlice(segment.channel(), pos, batchSize, base, last)));
                }
                pos += batchSize;
            }
        }
        return Optional.empty();
    }

    /** Visits the headers of the batches with base offsets in [{@code fromOffset}, {@code end}). */
    void scanBatches(long fromOffset, long end, BatchVisitor visitor) throws IOException {
        ByteBuffer hdr = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE);
        RecordBatchHeader flyweight = new RecordBatchHeader().wrap(hdr, 0);
        Long firstKey = segments.floorKey(fromOffset);
        Map<Long, LogSegment> view = firstKey == null ? segments : segments.tailMap(firstKey);
        for (LogSegment segment : view.values()) {
            int size = segment.size();
            for (long pos = segment.offsetIndex().lookup(fromOffset); pos < size; pos += flyweight.sizeInBytes()) {
                segment.readHeader(pos, hdr);
                if (flyweight.baseOffset() >= end) {
                    return;
                }
                if (flyweight.baseOffset() >= fromOffset) {
                    visitor.visit(flyweight);
                }
            }
        }
    }
}
