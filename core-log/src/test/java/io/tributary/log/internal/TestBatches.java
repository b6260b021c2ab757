package io.tributary.log.internal;

import io.tributary.log.RecordBatchHeader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Builds valid, uncompressed Kafka v2 record batches by hand (no kafka-clients), for tests.
 * Each record has no key, the given value and no headers.
 */
final class TestBatches {
    private TestBatches() {
    }

    /** One batch of {@code records} records starting at {@code baseOffset}, all stamped {@code timestamp}. */
    static ByteBuffer batch(long baseOffset, int records, long timestamp) {
        return batch(baseOffset, records, timestamp, 10);
    }

    /** One batch whose records each carry a {@code valueBytes}-byte value. */
    static ByteBuffer batch(long baseOffset, int records, long timestamp, int valueBytes) {
        ByteBuffer body = ByteBuffer.allocate(records * (valueBytes + 32));
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < records; i++) {
            byte[] text = ("v" + (baseOffset + i)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, value, 0, Math.min(text.length, value.length));
            ByteBuffer record = ByteBuffer.allocate(valueBytes + 24);
            record.put((byte) 0);          // attributes
            putVarlong(record, 0);         // timestamp delta
            putVarlong(record, i);         // offset delta
            putVarlong(record, -1);        // key length: null key
            putVarlong(record, valueBytes);
            record.put(value);
            putVarlong(record, 0);         // header count
            record.flip();
            putVarlong(body, record.remaining());
            body.put(record);
        }
        body.flip();
        ByteBuffer batch = ByteBuffer.allocate(RecordBatchHeader.RECORDS_OFFSET + body.remaining());
        batch.putLong(baseOffset);
        batch.putInt(batch.capacity() - RecordBatchHeader.LOG_OVERHEAD);
        batch.putInt(0);                   // partition leader epoch
        batch.put(RecordBatchHeader.MAGIC_V2);
        batch.putInt(0);                   // crc, set below
        batch.putShort((short) 0);         // attributes: no compression, CreateTime
        batch.putInt(records - 1);
        batch.putLong(timestamp);
        batch.putLong(timestamp);
        batch.putLong(RecordBatchHeader.NO_PRODUCER_ID);
        batch.putShort((short) -1);
        batch.putInt(RecordBatchHeader.NO_SEQUENCE);
        batch.putInt(records);
        batch.put(body);
        CRC32C crc = new CRC32C();
        crc.update(batch.array(), RecordBatchHeader.ATTRIBUTES_OFFSET,
                batch.capacity() - RecordBatchHeader.ATTRIBUTES_OFFSET);
        batch.putInt(RecordBatchHeader.CRC_OFFSET, (int) crc.getValue());
        batch.flip();
        return batch;
    }

    /** Concatenates batches into one buffer, as the pipeline hands them to append. */
    static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    private static void putVarlong(ByteBuffer out, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }
}
