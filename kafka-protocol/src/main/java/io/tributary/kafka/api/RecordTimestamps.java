package io.tributary.kafka.api;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Finds a record by timestamp inside batches read from disk, with kafka-clients' record classes
 * (which decompress compressed batches). LogAppendTime batches report the batch time for every record.
 */
final class RecordTimestamps {
    private RecordTimestamps() {
    }

    /** A record's timestamp and offset. */
    record Found(long timestamp, long offset) {
    }

    /** Offset of the first record in {@code slice} whose timestamp is at or after {@code target}. */
    static Optional<Found> firstAtOrAfter(LogSlice slice, long target) throws IOException {
        for (RecordBatch batch : load(slice).batches()) {
            if (batch.maxTimestamp() < target) {
                continue;
            }
            for (Record record : batch) {
                if (record.timestamp() >= target) {
                    return Optional.of(new Found(record.timestamp(), record.offset()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first record at or after offset {@code from} and below {@code end} whose timestamp is at or after
     * {@code target}, read batch by batch from {@code from}: for a search by time that must not answer a record
     * below the log start, which DeleteRecords moves into a stored batch, or past batches wholly below it.
     */
    static Optional<Found> firstAtOrAfter(PartitionLog log, long from, long end, long target) throws IOException {
        long next = from;
        while (next < end) {
            long after = next;
            for (RecordBatch batch : load(log.read(next, 1, end, true)).batches()) {
                after = Math.max(after, batch.lastOffset() + 1);
                if (batch.lastOffset() < from || batch.maxTimestamp() < target) {
                    continue;
                }
                for (Record record : batch) {
                    if (record.offset() >= from && record.timestamp() >= target) {
                        return Optional.of(new Found(record.timestamp(), record.offset()));
                    }
                }
            }
            if (after == next) {
                break;
            }
            next = after;
        }
        return Optional.empty();
    }

    /** Offset of the first record in {@code slice} whose timestamp equals {@code timestamp}. */
    static Optional<Found> firstEqual(LogSlice slice, long timestamp) throws IOException {
        for (RecordBatch batch : load(slice).batches()) {
            for (Record record : batch) {
                if (record.timestamp() == timestamp) {
                    return Optional.of(new Found(record.timestamp(), record.offset()));
                }
            }
        }
        return Optional.empty();
    }

    private static MemoryRecords load(LogSlice slice) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        long position = slice.position();
        while (buffer.hasRemaining()) {
            int read = slice.channel().read(buffer, position);
            if (read < 0) {
                throw new IOException("Segment ended before the end of the slice at " + position);
            }
            position += read;
        }
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }
}
