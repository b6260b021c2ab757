package io.tributary.pipeline.internal;

import io.tributary.log.RecordBatchHeader;
import io.tributary.pipeline.MarkerType;

import java.nio.ByteBuffer;

/**
 * Builds a transaction marker: a v2 batch with the transactional and control attribute bits set
 * and one control record, as Kafka writes it (its {@code EndTransactionMarker}).
 *
 * <pre>
 *  batch header (61 bytes, see {@link RecordBatchHeader}): attributes = 0x30 (transactional|control),
 *  lastOffsetDelta 0, producer id and epoch of the transaction, baseSequence -1, recordsCount 1
 *  record:
 *   0      1          2          3          4      8      9           15
 *   +------+----------+----------+----------+------+------+-----------+--------+
 *   |length|attributes|tsDelta 0 |offDelta 0|keyLen| key  | valueLen  | value  | headers 0
 *   |varint| int8 = 0 | varlong  | varint   |  = 4 |      |  = 6      |        | varint
 *   +------+----------+----------+----------+------+------+-----------+--------+
 *  key   = int16 version 0, int16 type (0 abort, 1 commit)
 *  value = int16 version 0, int32 coordinator epoch
 * </pre>
 *
 * All varints here are single bytes (zig-zag encoded small values).
 */
final class ControlBatch {
    private static final int KEY_SIZE = 4;
    private static final int VALUE_SIZE = 6;
    /** attributes, timestamp delta, offset delta, key length, key, value length, value, header count. */
    private static final int RECORD_BODY_SIZE = 1 + 1 + 1 + 1 + KEY_SIZE + 1 + VALUE_SIZE + 1;
    static final int SIZE = RecordBatchHeader.HEADER_SIZE + 1 + RECORD_BODY_SIZE;
    private static final short ATTRIBUTES = RecordBatchHeader.TRANSACTIONAL_FLAG_MASK | RecordBatchHeader.CONTROL_FLAG_MASK;

    private ControlBatch() {
    }

    static ByteBuffer build(long producerId, short epoch, MarkerType type, int coordinatorEpoch, long timestamp) {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        buffer.putLong(0L);
        buffer.putInt(SIZE - RecordBatchHeader.LOG_OVERHEAD);
        buffer.putInt(-1);
        buffer.put(RecordBatchHeader.MAGIC_V2);
        buffer.putInt(0);
        buffer.putShort(ATTRIBUTES);
        buffer.putInt(0);
        buffer.putLong(timestamp);
        buffer.putLong(timestamp);
        buffer.putLong(producerId);
        buffer.putShort(epoch);
        buffer.putInt(RecordBatchHeader.NO_SEQUENCE);
        buffer.putInt(1);
        buffer.put(zigZag(RECORD_BODY_SIZE));
        buffer.put((byte) 0);
        buffer.put((byte) 0);
        buffer.put((byte) 0);
        buffer.put(zigZag(KEY_SIZE));
        buffer.putShort((short) 0);
        buffer.putShort(type.code());
        buffer.put(zigZag(VALUE_SIZE));
        buffer.putShort((short) 0);
        buffer.putInt(coordinatorEpoch);
        buffer.put((byte) 0);
        buffer.flip();
        RecordBatchHeader header = new RecordBatchHeader().wrap(buffer, 0);
        buffer.putInt(RecordBatchHeader.CRC_OFFSET, (int) header.computeCrc());
        return buffer;
    }

    /**
     * The marker type of a control batch that starts at {@code buffer}'s {@code offset}, or null
     * if its first record's key is not a control key.
     */
    static MarkerType typeOf(ByteBuffer buffer, int offset) {
        int position = offset + RecordBatchHeader.HEADER_SIZE;
        position += varintSize(buffer, position);   // record length
        position += 1;                              // attributes
        position += varintSize(buffer, position);   // timestamp delta
        position += varintSize(buffer, position);   // offset delta
        int keyLength = unZigZag(buffer.get(position));
        position += varintSize(buffer, position);
        if (keyLength < KEY_SIZE) {
            return null;
        }
        short type = buffer.getShort(position + 2);
        return type == MarkerType.COMMIT.code() ? MarkerType.COMMIT
                : type == MarkerType.ABORT.code() ? MarkerType.ABORT : null;
    }

    private static int varintSize(ByteBuffer buffer, int position) {
        int size = 1;
        while ((buffer.get(position + size - 1) & 0x80) != 0) {
            size++;
        }
        return size;
    }

    private static int unZigZag(byte b) {
        int value = b & 0x7f;
        return (value >>> 1) ^ -(value & 1);
    }

    private static byte zigZag(int value) {
        return (byte) ((value << 1) ^ (value >> 31));
    }
}
