package io.tributary.pipeline.internal;

import io.tributary.log.RecordBatchHeader;

import java.nio.ByteBuffer;

/**
 * Builds Kafka v2 record batches by hand for tests (kafka-clients is not a dependency here).
 *
 * <p>Each record: length, attributes, timestamp delta, offset delta, null key, value of
 * {@code valueSize} bytes (its first 8 bytes carry a caller-chosen tag), no headers.
 */
final class TestBatches {
    private long producerId = RecordBatchHeader.NO_PRODUCER_ID;
    private short producerEpoch = -1;
    private int baseSequence = RecordBatchHeader.NO_SEQUENCE;
    private int records = 1;
    private int valueSize = 16;
    private long tag;
    private short attributes;
    private long timestamp = 1_700_000_000_000L;

    static TestBatches batch() {
        return new TestBatches();
    }

    TestBatches producer(long id, int epoch, int sequence) {
        this.producerId = id;
        this.producerEpoch = (short) epoch;
        this.baseSequence = sequence;
        return this;
    }

    TestBatches records(int count) {
        this.records = count;
        return this;
    }

    TestBatches valueSize(int bytes) {
        this.valueSize = Math.max(8, bytes);
        return this;
    }

    /** A number written into every record's value, to recognise the batch when reading back. */
    TestBatches tag(long tag) {
        this.tag = tag;
        return this;
    }

    TestBatches attributes(int attributes) {
        this.attributes = (short) attributes;
        return this;
    }

    TestBatches timestamp(long timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    ByteBuffer build() {
        ByteBuffer recordBytes = ByteBuffer.allocate(records * (valueSize + 32));
        for (int i = 0; i < records; i++) {
            ByteBuffer body = ByteBuffer.allocate(valueSize + 24);
            body.put((byte) 0);
            putVarlong(body, 0);
            putVarint(body, i);
            putVarint(body, -1);
            putVarint(body, valueSize);
            body.putLong(tag);
            body.put(new byte[valueSize - 8]);
            putVarint(body, 0);
            body.flip();
            putVarint(recordBytes, body.remaining());
            recordBytes.put(body);
        }
        recordBytes.flip();
        int size = RecordBatchHeader.HEADER_SIZE + recordBytes.remaining();
        ByteBuffer batch = ByteBuffer.allocate(size);
        batch.putLong(0L);
        batch.putInt(size - RecordBatchHeader.LOG_OVERHEAD);
        batch.putInt(0);
        batch.put(RecordBatchHeader.MAGIC_V2);
        batch.putInt(0);
        batch.putShort(attributes);
        batch.putInt(records - 1);
        batch.putLong(timestamp);
        batch.putLong(timestamp);
        batch.putLong(producerId);
        batch.putShort(producerEpoch);
        batch.putInt(baseSequence);
        batch.putInt(records);
        batch.put(recordBytes);
        batch.flip();
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);
        batch.putInt(RecordBatchHeader.CRC_OFFSET, (int) header.computeCrc());
        return batch;
    }

    /** The tag of the batch starting at {@code offset} in {@code buffer} (first record's value). */
    static long tagOf(ByteBuffer buffer, int offset) {
        int position = offset + RecordBatchHeader.RECORDS_OFFSET;
        position = skipVarint(buffer, position); // record length
        position += 1; // attributes
        position = skipVarint(buffer, position); // timestamp delta
        position = skipVarint(buffer, position); // offset delta
        position = skipVarint(buffer, position); // key length (-1)
        position = skipVarint(buffer, position); // value length
        return buffer.getLong(position);
    }

    /** Concatenates whole batches into one buffer. */
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

    private static int skipVarint(ByteBuffer buffer, int position) {
        while ((buffer.get(position) & 0x80) != 0) {
            position++;
        }
        return position + 1;
    }

    private static void putVarint(ByteBuffer buffer, int value) {
        putVarlong(buffer, value);
    }

    private static void putVarlong(ByteBuffer buffer, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }
}
