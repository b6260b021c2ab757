package io.tributary.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Flyweight over the header of a Kafka v2 record batch (magic 2), the unit Tributary stores on disk
 * and sends on the wire. It reads and writes fields in place with absolute gets and puts, so one
 * instance can be re-wrapped over many batches without allocation.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Base Offset (int64)                      |  0
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |                  Batch Length (int32, bytes after this field)  |  8
 *  +---------------------------------------------------------------+
 *  |                  Partition Leader Epoch (int32)                | 12
 *  +---------------+-----------------------------------------------+
 *  |  Magic (=2)   |            CRC32C (uint32) ...                | 16
 *  +---------------+---------------+-------------------------------+
 *  |  ... CRC32C   |       Attributes (int16)      | Last Offset   | 20
 *  +---------------+-------------------------------+ Delta (int32) |
 *  |                  ...                          |  Base         | 24
 *  +-----------------------------------------------+  Timestamp    |
 *  |                  (int64) ...                                   |
 *  +---------------------------------------------------------------+
 *  |                  Max Timestamp (int64)                         | 35
 *  +---------------------------------------------------------------+
 *  |                  Producer Id (int64)                           | 43
 *  +-------------------------------+-------------------------------+
 *  |  Producer Epoch (int16)       |  Base Sequence (int32)        | 51, 53
 *  +-------------------------------+-------------------------------+
 *  |                  Records Count (int32)                         | 57
 *  +---------------------------------------------------------------+
 *  |                  Records ...                                   | 61
 * </pre>
 *
 * The CRC32C covers everything from {@link #ATTRIBUTES_OFFSET} to the end of the batch, so the log
 * may rewrite the base offset and the partition leader epoch without recomputing it. Attribute bits:
 * 0-2 compression codec, 3 timestamp type (1 = LogAppendTime), 4 transactional, 5 control,
 * 6 delete horizon present.
 */
public final class RecordBatchHeader {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Size of the header; also the smallest valid batch. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** Bytes before the part counted by the batch length: base offset and length itself. */
    public static final int LOG_OVERHEAD = 12;
    public static final byte MAGIC_V2 = 2;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    public static final int CONTROL_FLAG_MASK = 0x20;

    /** Value of producer id, epoch and sequence fields for a batch without a producer. */
    public static final long NO_PRODUCER_ID = -1L;
    public static final int NO_SEQUENCE = -1;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the batch that starts at {@code offset} in {@code buffer}. */
    public RecordBatchHeader wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public long baseOffset() {
        return buffer.getLong(offset + BASE_OFFSET_OFFSET);
    }

    public void baseOffset(long baseOffset) {
        buffer.putLong(offset + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Length field: bytes that follow it, i.e. {@link #sizeInBytes()} minus {@link #LOG_OVERHEAD}. */
    public int batchLength() {
        return buffer.getInt(offset + LENGTH_OFFSET);
    }

    /** Whole batch size on disk, header included. */
    public int sizeInBytes() {
        return batchLength() + LOG_OVERHEAD;
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(offset + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public void partitionLeaderEpoch(int epoch) {
        buffer.putInt(offset + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    public byte magic() {
        return buffer.get(offset + MAGIC_OFFSET);
    }

    public long crc() {
        return buffer.getInt(offset + CRC_OFFSET) & 0xFFFF_FFFFL;
    }

    public short attributes() {
        return buffer.getShort(offset + ATTRIBUTES_OFFSET);
    }

    public int compressionCodec() {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(offset + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long baseTimestamp() {
        return buffer.getLong(offset + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(offset + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(offset + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(offset + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(offset + BASE_SEQUENCE_OFFSET);
    }

    public int recordsCount() {
        return buffer.getInt(offset + RECORDS_COUNT_OFFSET);
    }

    /**
     * Marks the batch as LogAppendTime and sets its max timestamp to {@code timestamp}, then
     * recomputes the CRC, since both fields lie inside the checksummed range. Costs one pass over
     * the batch: use it only for topics configured with LogAppendTime.
     */
    public void stampLogAppendTime(long timestamp) {
        short attributes = (short) (attributes() | TIMESTAMP_TYPE_MASK);
        buffer.putShort(offset + ATTRIBUTES_OFFSET, attributes);
        buffer.putLong(offset + MAX_TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(offset + CRC_OFFSET, (int) computeCrc());
    }

    /** CRC32C of the checksummed range as it is now in the buffer. */
    public long computeCrc() {
        CRC32C crc = new CRC32C();
        ByteBuffer view = buffer.duplicate();
        view.limit(offset + sizeInBytes()).position(offset + ATTRIBUTES_OFFSET);
        crc.update(view);
        return crc.getValue();
    }

    /** True when the stored CRC matches the batch's content. */
    public boolean isCrcValid() {
        return crc() == computeCrc();
    }
}
