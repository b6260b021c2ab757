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

    PartitionReader(NavigableMap<Long, LogSegment> segments) {
        this.segments = segments;
    }

    /**
     * Whole batches from the one containing {@code offset}, inside one segment, below
     * {@code limit}; null if no segment holds {@code offset} any more.
     */
    LogSlice read(long offset, int maxBytes, long limit, boolean minOneBatch) throws IOException {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        if (entry == null) {
            return null;
        }
        while (entry != null) {
            Long nextBase = segments.higherKey(entry.getKey());
            LogSlice slice = entry.getValue().read(offset, maxBytes, limit, minOneBatch,
                    nextBase == null ? Long.MAX_VALUE : nextBase);
            if (slice != null) {
                return slice;
            }
            entry = segments.higherEntry(entry.getKey());
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
