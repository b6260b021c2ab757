package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.GroupType;
import io.tributary.delivery.group.OffsetAndMetadata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Tributary's own key/value encoding of group records (not Kafka's __consumer_offsets schema; only
 * this coordinator reads the topic). Big-endian; a string is an int16 length (-1 for null) and UTF-8
 * bytes. A null value is a tombstone for its key.
 *
 * <pre>
 * key, offset (type 0):            key, group (type 1):
 *  +-------------------+            +-------------------+
 *  | type      int16   |            | type      int16   |
 *  | groupId   string  |            | groupId   string  |
 *  | topic     string  |            +-------------------+
 *  | partition int32   |
 *  +-------------------+
 *
 * value, offset (version 0):       value, group (version 1; version 0 ends before emptySinceMs):
 *  +-------------------------+      +------------------------------+
 *  | version         int16   |      | version            int16     |
 *  | offset          int64   |      | groupType          int8      |  0 classic, 1 consumer
 *  | leaderEpoch     int32   |      | generationOrEpoch  int32     |
 *  | commitTimestamp int64   |      | protocolType       string    |
 *  | metadata        string  |      | protocolName       string    |
 *  +-------------------------+      | emptySinceMs       int64     |  -1 while it has members
 *                                   +------------------------------+
 * </pre>
 *
 * A group value of version 0 reads as having members ({@code emptySinceMs} -1).
 */
final class GroupRecordCodec {
    static final short OFFSET_KEY = 0;
    static final short GROUP_KEY = 1;
    static final short VALUE_VERSION = 0;
    static final short GROUP_VALUE_VERSION = 1;

    private GroupRecordCodec() {
    }

    static ByteBuffer key(GroupRecord record) {
        if (record instanceof GroupRecord.OffsetCommitted committed) {
            return offsetKey(record.groupId(), committed.partition());
        }
        if (record instanceof GroupRecord.OffsetRemoved removed) {
            return offsetKey(record.groupId(), removed.partition());
        }
        byte[] group = utf8(record.groupId());
        ByteBuffer key = ByteBuffer.allocate(2 + 2 + group.length);
        key.putShort(GROUP_KEY);
        putString(key, group);
        return key.flip();
    }

    /** The value, or null for a tombstone. */
    static ByteBuffer value(GroupRecord record) {
        if (record instanceof GroupRecord.OffsetCommitted committed) {
            OffsetAndMetadata offset = committed.offset();
            byte[] metadata = utf8(offset.metadata());
            ByteBuffer value = ByteBuffer.allocate(2 + 8 + 4 + 8 + 2 + metadata.length);
            value.putShort(VALUE_VERSION).putLong(offset.offset()).putInt(offset.leaderEpoch())
                    .putLong(offset.commitTimestampMs());
            putString(value, metadata);
            return value.flip();
        }
        if (record instanceof GroupRecord.GroupMetadata metadata) {
            byte[] protocolType = utf8(metadata.protocolType());
            byte[] protocolName = utf8(metadata.protocolName());
            ByteBuffer value = ByteBuffer.allocate(2 + 1 + 4 + 2 + length(protocolType) + 2 + length(protocolName) + 8);
            value.putShort(GROUP_VALUE_VERSION).put((byte) (metadata.type() == GroupType.CLASSIC ? 0 : 1))
                    .putInt(metadata.generationOrEpoch());
            putString(value, protocolType);
            putString(value, protocolName);
            value.putLong(metadata.emptySinceMs());
            return value.flip();
        }
        return null;
    }

    /** The record a stored key/value pair stands for. Does not move the buffers' positions. */
    static GroupRecord decode(ByteBuffer keyBuffer, ByteBuffer valueBuffer) {
        ByteBuffer key = keyBuffer.duplicate();
        short type = key.getShort();
        String groupId = getString(key);
        if (type == OFFSET_KEY) {
            TopicPartition partition = new TopicPartition(getString(key), key.getInt());
            if (valueBuffer == null) {
                return new GroupRecord.OffsetRemoved(groupId, partition);
            }
            ByteBuffer value = valueBuffer.duplicate();
            checkVersion(value.getShort());
            long offset = value.getLong();
            int leaderEpoch = value.getInt();
            long timestamp = value.getLong();
            return new GroupRecord.OffsetCommitted(groupId, partition,
                    new OffsetAndMetadata(offset, leaderEpoch, getString(value), timestamp));
        }
        if (type == GROUP_KEY) {
            if (valueBuffer == null) {
                return new GroupRecord.GroupRemoved(groupId);
            }
            ByteBuffer value = valueBuffer.duplicate();
            short version = value.getShort();
            if (version != VALUE_VERSION && version != GROUP_VALUE_VERSION) {
                throw new IllegalArgumentException("unknown group metadata value version " + version);
            }
            GroupType groupType = value.get() == 0 ? GroupType.CLASSIC : GroupType.CONSUMER;
            int generation = value.getInt();
            String protocolType = getString(value);
            String protocolName = getString(value);
            long emptySince = version == VALUE_VERSION ? GroupRecord.GroupMetadata.HAS_MEMBERS : value.getLong();
            return new GroupRecord.GroupMetadata(groupId, groupType, generation, protocolType, protocolName, emptySince);
        }
        throw new IllegalArgumentException("unknown group record key type " + type);
    }

    private static ByteBuffer offsetKey(String groupId, TopicPartition partition) {
        byte[] group = utf8(groupId);
        byte[] topic = utf8(partition.topic());
        ByteBuffer key = ByteBuffer.allocate(2 + 2 + group.length + 2 + topic.length + 4);
        key.putShort(OFFSET_KEY);
        putString(key, group);
        putString(key, topic);
        key.putInt(partition.partition());
        return key.flip();
    }

    private static void checkVersion(short version) {
        if (version != VALUE_VERSION) {
            throw new IllegalArgumentException("unknown group record value version " + version);
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void putString(ByteBuffer buffer, byte[] bytes) {
        if (bytes == null) {
            buffer.putShort((short) -1);
        } else {
            buffer.putShort((short) bytes.length).put(bytes);
        }
    }

    private static String getString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
