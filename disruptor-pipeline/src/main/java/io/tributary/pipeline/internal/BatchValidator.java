package io.tributary.pipeline.internal;

import io.tributary.log.BatchCompression;
import io.tributary.log.LogConfig;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.TimestampType;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;

import java.nio.ByteBuffer;

/**
 * Checks offered bytes on the offering thread, before they take a ring slot, so that the pipeline
 * threads only ever see whole, checksummed v2 batches.
 *
 * <p>In order, for each batch from the buffer's position to its limit: a whole batch of sane length
 * ({@link AppendError#CORRUPT_MESSAGE}), no larger than {@code max.message.bytes}
 * ({@link AppendError#RECORD_TOO_LARGE}), magic 2 and a valid CRC32C (CORRUPT_MESSAGE), at least one
 * record with {@code lastOffsetDelta == recordsCount - 1} ({@link AppendError#INVALID_RECORD}), not
 * a control batch (markers come from the coordinator only) and, if transactional, with a producer id
 * (INVALID_RECORD); on a CreateTime topic,
 * timestamps inside {@code [now - message.timestamp.before.max.ms, now + message.timestamp.after.max.ms]}
 * ({@link AppendError#INVALID_TIMESTAMP}); on a compacted topic, every record has a key
 * ({@link AppendError#INVALID_RECORD}, as Kafka; a compressed batch is decompressed for this, and only
 * for a compacted topic). An idempotent batch
 * (producer id &ge; 0) must come alone, as Kafka requires of every produce request since v3, so that
 * its sequence check decides the whole offer.
 *
 * <p>Stateless and thread-safe.
 */
final class BatchValidator {
    /** Kafka's RecordBatch.NO_TIMESTAMP: a record without a timestamp, never refused for it. */
    private static final long NO_TIMESTAMP = -1L;

    private BatchValidator() {
    }

    /**
     * Returns null when every batch is acceptable for a topic with {@code config} at {@code nowMs},
     * else the failure to hand to the callback.
     *
     * <p>The timestamp window is checked on the batch header: its first record's timestamp
     * ({@code baseTimestamp}) and its largest one ({@code maxTimestamp}), without reading the
     * records. Kafka checks every record; a record inside a batch that is older than the batch's
     * first record is not caught here (producers write records in send order, so this needs a
     * client that sets out-of-order timestamps within one batch).
     */
    static AppendResult validate(ByteBuffer batches, LogConfig config, long nowMs) {
        RecordBatchHeader header = new RecordBatchHeader();
        AppendResult invalid = validate(batches, config.maxMessageBytes(), header);
        if (invalid == null && config.cleanupPolicy().compacts()) {
            invalid = checkKeys(batches, header);
        }
        if (invalid != null || config.timestampType() != TimestampType.CREATE_TIME) {
            return invalid;
        }
        for (int position = batches.position(); position < batches.limit(); position += header.sizeInBytes()) {
            header.wrap(batches, position);
            AppendResult outside = checkTimestamp(header.baseTimestamp(), config, nowMs);
            if (outside == null) {
                outside = checkTimestamp(header.maxTimestamp(), config, nowMs);
            }
            if (outside != null) {
                return outside;
            }
        }
        return null;
    }

    /** Refuses a keyless record, which a compacted topic cannot keep by key; decompresses compressed batches. */
    private static AppendResult checkKeys(ByteBuffer batches, RecordBatchHeader header) {
        for (int position = batches.position(); position < batches.limit(); position += header.sizeInBytes()) {
            header.wrap(batches, position);
            AppendResult keyless;
            if (header.compressionCodec() == 0) {
                keyless = checkKeys(batches, position + RecordBatchHeader.RECORDS_OFFSET,
                        position + header.sizeInBytes(), header.recordsCount());
            } else {
                int length = header.sizeInBytes() - RecordBatchHeader.RECORDS_OFFSET;
                byte[] compressed = new byte[length];
                batches.get(position + RecordBatchHeader.RECORDS_OFFSET, compressed);
                byte[] records;
                try {
                    records = BatchCompression.decompress(header.compressionCodec(), compressed, 0, length);
                } catch (RuntimeException e) {
                    return corrupt("cannot decompress a batch of codec " + header.compressionCodec() + ": " + e);
                }
                keyless = checkKeys(ByteBuffer.wrap(records), 0, records.length, header.recordsCount());
            }
            if (keyless != null) {
                return keyless;
            }
        }
        return null;
    }

    /** Refuses a keyless record among the {@code count} records in [{@code p}, {@code end}) of {@code batches}. */
    private static AppendResult checkKeys(ByteBuffer batches, int p, int end, int count) {
        for (int i = 0; i < count && p < end; i++) {
            long length = readVarint(batches, p);
            int bodyStart = p + varintSize(batches, p);
            int q = bodyStart + 1;
            q += varintSize(batches, q); // timestamp delta
            q += varintSize(batches, q); // offset delta
            if (q >= end || readVarint(batches, q) < 0) {
                return AppendResult.failure(AppendError.INVALID_RECORD,
                        "Compacted topic cannot accept message without key (record " + i + " of a batch)");
            }
            p = (int) (bodyStart + length);
        }
        return null;
    }

    /** The zig-zag varint at {@code p}. */
    private static long readVarint(ByteBuffer buffer, int p) {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            b = buffer.get(p++);
            raw |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 64);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private static int varintSize(ByteBuffer buffer, int p) {
        int size = 1;
        while ((buffer.get(p + size - 1) & 0x80) != 0 && size < 10) {
            size++;
        }
        return size;
    }

    private static AppendResult checkTimestamp(long timestamp, LogConfig config, long nowMs) {
        if (timestamp == NO_TIMESTAMP) {
            return null;
        }
        // subtraction instead of nowMs - before: the defaults are Long.MAX_VALUE and must not overflow
        if (nowMs - timestamp > config.timestampBeforeMaxMs()) {
            return AppendResult.failure(AppendError.INVALID_TIMESTAMP, "timestamp " + timestamp + " is more than "
                    + config.timestampBeforeMaxMs() + " ms before the broker time " + nowMs
                    + " (message.timestamp.before.max.ms)");
        }
        if (timestamp - nowMs > config.timestampAfterMaxMs()) {
            return AppendResult.failure(AppendError.INVALID_TIMESTAMP, "timestamp " + timestamp + " is more than "
                    + config.timestampAfterMaxMs() + " ms after the broker time " + nowMs
                    + " (message.timestamp.after.max.ms)");
        }
        return null;
    }

    /** Returns null when every batch is acceptable (timestamps unchecked), else the failure to hand to the callback. */
    static AppendResult validate(ByteBuffer batches, int maxMessageBytes) {
        return validate(batches, maxMessageBytes, new RecordBatchHeader());
    }

    private static AppendResult validate(ByteBuffer batches, int maxMessageBytes, RecordBatchHeader header) {
        int position = batches.position();
        int limit = batches.limit();
        if (position == limit) {
            return AppendResult.failure(AppendError.INVALID_RECORD, "no record batch in the append");
        }
        int count = 0;
        boolean idempotent = false;
        while (position < limit) {
            AppendResult failure = validateOne(header.wrap(batches, position), limit - position, maxMessageBytes);
            if (failure != null) {
                return failure;
            }
            idempotent |= header.producerId() != RecordBatchHeader.NO_PRODUCER_ID;
            count++;
            position += header.sizeInBytes();
        }
        if (idempotent && count > 1) {
            return AppendResult.failure(AppendError.INVALID_RECORD,
                    "an idempotent batch must be appended alone, got " + count + " batches");
        }
        return null;
    }

    private static AppendResult validateOne(RecordBatchHeader header, int remaining, int maxMessageBytes) {
        if (remaining < RecordBatchHeader.HEADER_SIZE) {
            return corrupt("truncated batch header: " + remaining + " bytes");
        }
        int size = header.batchLength() + RecordBatchHeader.LOG_OVERHEAD;
        if (header.batchLength() < RecordBatchHeader.HEADER_SIZE - RecordBatchHeader.LOG_OVERHEAD || size > remaining) {
            return corrupt("batch length " + header.batchLength() + " does not fit the " + remaining + " bytes left");
        }
        if (size > maxMessageBytes) {
            return AppendResult.failure(AppendError.RECORD_TOO_LARGE,
                    "batch of " + size + " bytes exceeds max.message.bytes " + maxMessageBytes);
        }
        if (header.magic() != RecordBatchHeader.MAGIC_V2) {
            return corrupt("magic " + header.magic() + ", only 2 is supported");
        }
        if (!header.isCrcValid()) {
            return corrupt("CRC32C mismatch");
        }
        int records = header.recordsCount();
        if (records < 1 || header.lastOffsetDelta() != records - 1) {
            return AppendResult.failure(AppendError.INVALID_RECORD,
                    "records count " + records + " with last offset delta " + header.lastOffsetDelta());
        }
        if (header.isControl()) {
            return AppendResult.failure(AppendError.INVALID_RECORD,
                    "control batches are written by the transaction coordinator only");
        }
        if (header.isTransactional() && header.producerId() == RecordBatchHeader.NO_PRODUCER_ID) {
            return AppendResult.failure(AppendError.INVALID_RECORD, "a transactional batch without a producer id");
        }
        if (header.producerId() != RecordBatchHeader.NO_PRODUCER_ID
                && (header.producerId() < 0 || header.producerEpoch() < 0 || header.baseSequence() < 0)) {
            return AppendResult.failure(AppendError.INVALID_RECORD, "producer id " + header.producerId()
                    + " with epoch " + header.producerEpoch() + " and base sequence " + header.baseSequence());
        }
        return null;
    }

    private static AppendResult corrupt(String message) {
        return AppendResult.failure(AppendError.CORRUPT_MESSAGE, message);
    }
}
