package io.tributary.perf.ingest;

import io.tributary.log.RecordBatchHeader;

import java.nio.ByteBuffer;

/**
 * Builds one Kafka v2 record batch of about {@code targetBytes}: a single record with a null key, a
 * zero-filled value sized so the whole batch fits, and no headers. Hand-built so that the benchmark
 * measures the pipeline, not a client library's encoder.
 */
final class BenchmarkBatch {
    private BenchmarkBatch() {
    }

    /** A fresh buffer holding one checksummed batch of exactly {@code targetBytes} bytes (at least 80). */
    static ByteBuffer of(int targetBytes) {
        int valueSize = targetBytes - RecordBatchHeader.HEADER_SIZE;
        // record: length varint, attributes, timestamp delta 0, offset delta 0, key -1, value length, value, 0 headers
        for (int v = valueSize; v > 0; v--) {
            int body = 1 + 1 + 1 + 1 + varintSize(v) + v + 1;
            if (RecordBatchHeader.HEADER_SIZE + varintSize(body) + body == targetBytes) {
                return build(v, body);
            }
        }
        throw new IllegalArgumentException("cannot build a batch of exactly " + targetBytes + " bytes");
    }

    private static ByteBuffer build(int valueSize, int body) {
        int size = RecordBatchHeader.HEADER_SIZE + varintSize(body) + body;
        ByteBuffer batch = ByteBuffer.allocateDirect(size);
        long now = System.currentTimeMillis();
        batch.putLong(0L)
                .putInt(size - RecordBatchHeader.LOG_OVERHEAD)
                .putInt(0)
                .put(RecordBatchHeader.MAGIC_V2)
                .putInt(0)
                .putShort((short) 0)
                .putInt(0)
                .putLong(now)
                .putLong(now)
                .putLong(RecordBatchHeader.NO_PRODUCER_ID)
                .putShort((short) -1)
                .putInt(RecordBatchHeader.NO_SEQUENCE)
                .putInt(1);
        putVarint(batch, body);
        batch.put((byte) 0);
        putVarint(batch, 0);
        putVarint(batch, 0);
        putVarint(batch, -1);
        putVarint(batch, valueSize);
        batch.put(new byte[valueSize]);
        putVarint(batch, 0);
        batch.flip();
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);
        batch.putInt(RecordBatchHeader.CRC_OFFSET, (int) header.computeCrc());
        return batch;
    }

    private static int varintSize(int value) {
        long v = ((long) value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & ~0x7FL) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    private static void putVarint(ByteBuffer buffer, int value) {
        long v = ((long) value << 1) ^ (value >> 31);
        while ((v & ~0x7FL) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }
}
