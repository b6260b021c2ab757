package io.tributary.delivery.internal.records;

import io.tributary.log.RecordBatchHeader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Builds one uncompressed Kafka v2 record batch (magic 2) from records appended in order. The batch
 * header layout is drawn in {@link RecordBatchHeader}; this class writes it with base offset 0 (the
 * log assigns the real one), no producer id, create-time timestamps, and a CRC32C over the bytes
 * from the attributes to the end. Each record after the 61-byte header is laid out as:
 *
 * <pre>
 *  +-----------------------------+
 *  | length          varint      |  bytes of the record after this field
 *  | attributes      int8 (= 0)  |
 *  | timestampDelta  varlong     |  record timestamp - batch base timestamp
 *  | offsetDelta     varint      |  record index in the batch
 *  | keyLength       varint      |  -1 for a null key
 *  | key             bytes       |
 *  | valueLength     varint      |  -1 for a null value (a tombstone)
 *  | value           bytes       |
 *  | headerCount     varint      |
 *  | headers ...                 |  each: keyLength varint, key UTF-8,
 *  +-----------------------------+        valueLength varint (-1 = null), value
 * </pre>
 *
 * Varints are zig-zag encoded, seven bits per byte, low group first. A writer is single use:
 * {@link #build()} ends it. Not thread-safe.
 */
public final class RecordBatchWriter {
    private ByteBuffer buffer;
    private int count;
    private long baseTimestamp = -1L;
    private long maxTimestamp = -1L;
    private boolean built;

    /** A writer whose buffer starts at {@code initialCapacity} bytes and grows as needed. */
    public RecordBatchWriter(int initialCapacity) {
        buffer = ByteBuffer.allocate(Math.max(initialCapacity, RecordBatchHeader.HEADER_SIZE + 64));
        buffer.position(RecordBatchHeader.HEADER_SIZE);
    }

    /** Appends a record without headers. Either buffer may be null; their positions are not moved. */
    public RecordBatchWriter append(long timestamp, ByteBuffer key, ByteBuffer value) {
        return append(timestamp, key, value, List.of());
    }

    /** Appends a record. {@code key} and {@code value} may be null; their positions are not moved. */
    public RecordBatchWriter append(long timestamp, ByteBuffer key, ByteBuffer value, List<RecordHeader> headers) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (count == 0) {
            baseTimestamp = timestamp;
        }
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        long timestampDelta = timestamp - baseTimestamp;
        byte[][] headerKeys = new byte[headers.size()][];
        int bodySize = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(count)
                + sizeOfBytes(key) + sizeOfBytes(value) + Varints.sizeOfVarint(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            headerKeys[i] = headers.get(i).key().getBytes(StandardCharsets.UTF_8);
            bodySize += Varints.sizeOfVarint(headerKeys[i].length) + headerKeys[i].length
                    + sizeOfBytes(headers.get(i).value());
        }
        ensureRemaining(Varints.sizeOfVarint(bodySize) + bodySize);
        Varints.putVarint(buffer, bodySize);
        buffer.put((byte) 0);
        Varints.putVarlong(buffer, timestampDelta);
        Varints.putVarint(buffer, count);
        putBytes(key);
        putBytes(value);
        Varints.putVarint(buffer, headers.size());
        for (int i = 0; i < headers.size(); i++) {
            Varints.putVarint(buffer, headerKeys[i].length);
            buffer.put(headerKeys[i]);
            putBytes(headers.get(i).value());
        }
        count++;
        return this;
    }

    /** Number of records appended so far. */
    public int count() {
        return count;
    }

    /** Bytes the batch would take if built now, header included. */
    public int size() {
        return buffer.position();
    }

    /**
     * Writes the header and CRC and returns the batch, positioned at 0 and limited to its size.
     *
     * @throws IllegalStateException if no record was appended (an empty batch is invalid)
     */
    public ByteBuffer build() {
        if (count == 0) {
            throw new IllegalStateException("a batch needs at least one record");
        }
        built = true;
        int size = buffer.position();
        buffer.putLong(RecordBatchHeader.BASE_OFFSET_OFFSET, 0L);
        buffer.putInt(RecordBatchHeader.LENGTH_OFFSET, size - RecordBatchHeader.LOG_OVERHEAD);
        buffer.putInt(RecordBatchHeader.PARTITION_LEADER_EPOCH_OFFSET, -1);
        buffer.put(RecordBatchHeader.MAGIC_OFFSET, RecordBatchHeader.MAGIC_V2);
        buffer.putShort(RecordBatchHeader.ATTRIBUTES_OFFSET, (short) 0);
        buffer.putInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET, count - 1);
        buffer.putLong(RecordBatchHeader.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        buffer.putLong(RecordBatchHeader.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.putLong(RecordBatchHeader.PRODUCER_ID_OFFSET, RecordBatchHeader.NO_PRODUCER_ID);
        buffer.putShort(RecordBatchHeader.PRODUCER_EPOCH_OFFSET, (short) -1);
        buffer.putInt(RecordBatchHeader.BASE_SEQUENCE_OFFSET, RecordBatchHeader.NO_SEQUENCE);
        buffer.putInt(RecordBatchHeader.RECORDS_COUNT_OFFSET, count);
        CRC32C crc = new CRC32C();
        ByteBuffer checked = buffer.duplicate();
        checked.limit(size).position(RecordBatchHeader.ATTRIBUTES_OFFSET);
        crc.update(checked);
        buffer.putInt(RecordBatchHeader.CRC_OFFSET, (int) crc.getValue());
        buffer.flip();
        return buffer;
    }

    private static int sizeOfBytes(ByteBuffer bytes) {
        if (bytes == null) {
            return Varints.sizeOfVarint(-1);
        }
        return Varints.sizeOfVarint(bytes.remaining()) + bytes.remaining();
    }

    private void putBytes(ByteBuffer bytes) {
        if (bytes == null) {
            Varints.putVarint(buffer, -1);
            return;
        }
        Varints.putVarint(buffer, bytes.remaining());
        buffer.put(bytes.duplicate());
    }

    private void ensureRemaining(int needed) {
        if (buffer.remaining() >= needed) {
            return;
        }
        int capacity = Math.max(buffer.capacity() * 2, buffer.position() + needed);
        ByteBuffer grown = ByteBuffer.allocate(capacity);
        buffer.flip();
        grown.put(buffer);
        buffer = grown;
    }
}
