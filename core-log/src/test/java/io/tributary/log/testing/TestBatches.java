package io.tributary.log.testing;

import io.tributary.log.RecordBatchHeader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds valid Kafka v2 record batches by hand for tests (no kafka-clients), with a valid CRC32C and
 * every record stamped with the batch's timestamp.
 *
 * <p>Either through the builder, {@code batch().records(3).producer(7, 0, 0).build()}, or through the
 * shortcuts {@link #batch(long, int, long)} and {@link #batch(long, int, long, int)}.
 *
 * <p>Each record, after the batch header (zig-zag varints as in Kafka):
 * <pre>
 *  +--------+------------+-----------+--------------+------------+--------------+-------+-------------+
 *  | length | attributes | timestamp | offset delta | key length | value length | value | header count|
 *  | varint |  int8 (0)  | delta (0) |  varint (i)  | varint(-1) |    varint    |       |  varint (0) |
 *  +--------+------------+-----------+--------------+------------+--------------+-------+-------------+
 * </pre>
 * The value is {@code valueSize} bytes. A batch given a {@link #tag(long) tag} carries it in the first
 * 8 bytes (big-endian) of every value, then zeros; an untagged batch carries the ASCII text
 * {@code "v" + offset} of each record, cut to fit, then zeros, so every record's bytes differ.
 */
public final class TestBatches {
    /** Value bytes per record of the {@link #batch(long, int, long)} shortcut. */
    public static final int SHORTCUT_VALUE_SIZE = 10;

    private static final int TAG_SIZE = Long.BYTES;

    private long baseOffset;
    private int records = 1;
    private int valueSize = 16;
    private boolean tagged;
    private long tag;
    private short attributes;
    private long timestamp = 1_700_000_000_000L;
    private long producerId = RecordBatchHeader.NO_PRODUCER_ID;
    private short producerEpoch = -1;
    private int baseSequence = RecordBatchHeader.NO_SEQUENCE;
    private byte[] key;

    private TestBatches() {
    }

    /**
     * A builder for one batch: base offset 0, one record of 16 value bytes, timestamp
     * 1,700,000,000,000 (CreateTime), no compression, no producer id.
     */
    public static TestBatches batch() {
        return new TestBatches();
    }

    /** One untagged batch of {@code records} records from {@code baseOffset}, each stamped {@code timestamp}. */
    public static ByteBuffer batch(long baseOffset, int records, long timestamp) {
        return batch(baseOffset, records, timestamp, SHORTCUT_VALUE_SIZE);
    }

    /** As {@link #batch(long, int, long)}, each record carrying a {@code valueBytes}-byte value. */
    public static ByteBuffer batch(long baseOffset, int records, long timestamp, int valueBytes) {
        return batch().baseOffset(baseOffset).records(records).timestamp(timestamp).valueSize(valueBytes).build();
    }

    public TestBatches baseOffset(long baseOffset) {
        this.baseOffset = baseOffset;
        return this;
    }

    public TestBatches records(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a batch holds at least one record: " + count);
        }
        this.records = count;
        return this;
    }

    /** Value bytes per record; a tagged batch gets at least the 8 its tag needs. */
    public TestBatches valueSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative value size: " + bytes);
        }
        this.valueSize = bytes;
        return this;
    }

    /** A number written into every record's value, to recognise the batch when reading it back ({@link #tagOf}). */
    public TestBatches tag(long tag) {
        this.tagged = true;
        this.tag = tag;
        return this;
    }

    /** The key of every record (none, a null key, by default). */
    public TestBatches key(byte[] key) {
        this.key = key.clone();
        return this;
    }

    /** The batch attributes as they go on the wire (compression, timestamp type, transactional, control). */
    public TestBatches attributes(int attributes) {
        this.attributes = (short) attributes;
        return this;
    }

    /** The base and max timestamp of the batch; every record has timestamp delta 0. */
    public TestBatches timestamp(long timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    /** An idempotent producer's id, epoch and the sequence of the first record. */
    public TestBatches producer(long id, int epoch, int sequence) {
        this.producerId = id;
        this.producerEpoch = (short) epoch;
        this.baseSequence = sequence;
        return this;
    }

    /** A new heap buffer holding the batch, position 0, limit at its end. */
    public ByteBuffer build() {
        int valueBytes = tagged ? Math.max(TAG_SIZE, valueSize) : valueSize;
        ByteBuffer recordBytes = ByteBuffer.allocate(records * (valueBytes + 32 + (key == null ? 0 : key.length)));
        for (int i = 0; i < records; i++) {
            ByteBuffer record = ByteBuffer.allocate(valueBytes + 24 + (key == null ? 0 : key.length));
            record.put((byte) 0);
            putVarlong(record, 0);
            putVarlong(record, i);
            if (key == null) {
                putVarlong(record, -1);
            } else {
                putVarlong(record, key.length);
                record.put(key);
            }
            putVarlong(record, valueBytes);
            record.put(value(baseOffset + i, valueBytes));
            putVarlong(record, 0);
            record.flip();
            putVarlong(recordBytes, record.remaining());
            recordBytes.put(record);
        }
        recordBytes.flip();
        int size = RecordBatchHeader.HEADER_SIZE + recordBytes.remaining();
        ByteBuffer batch = ByteBuffer.allocate(size);
        batch.putLong(baseOffset);
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
        batch.putInt(RecordBatchHeader.CRC_OFFSET, (int) new RecordBatchHeader().wrap(batch, 0).computeCrc());
        return batch;
    }

    private byte[] value(long offset, int valueBytes) {
        byte[] value = new byte[valueBytes];
        if (tagged) {
            ByteBuffer.wrap(value).putLong(tag);
        } else {
            byte[] text = ("v" + offset).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, value, 0, Math.min(text.length, valueBytes));
        }
        return value;
    }

    /** The tag of the batch starting at {@code offset} in {@code buffer}, read from its first record's value. */
    public static long tagOf(ByteBuffer buffer, int offset) {
        int position = offset + RecordBatchHeader.RECORDS_OFFSET;
        position = skipVarint(buffer, position); // record length
        position += 1; // attributes
        position = skipVarint(buffer, position); // timestamp delta
        position = skipVarint(buffer, position); // offset delta
        position = skipVarint(buffer, position); // key length (-1)
        position = skipVarint(buffer, position); // value length
        return buffer.getLong(position);
    }

    /** Concatenates whole batches into one new buffer, as the pipeline hands them to append. */
    public static ByteBuffer concat(ByteBuffer... batches) {
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

    private static void putVarlong(ByteBuffer buffer, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }
}
