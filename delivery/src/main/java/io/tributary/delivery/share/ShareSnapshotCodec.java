package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Record layout of {@code __share_group_state}: one record per write of a share partition, the last per
 * key wins; a null value deletes the key.
 *
 * <pre>
 * key:   version:int16 (0) | group:int16-length UTF-8 | topic:int16-length UTF-8 | partition:int32
 * value: version:int16 (0) | startOffset:int64 | runCount:int32
 *        | runCount x ( firstOffset:int64 | lastOffset:int64 | state:int8 | deliveryCount:int16 )
 * </pre>
 *
 * {@code state} is the ordinal of {@link RecordState} (ACQUIRED is never written). A snapshot with deferred records
 * or with the cause of ARCHIVING runs (see {@link ShareSnapshot}) is written as version 1:
 *
 * <pre>
 * value: version:int16 (1) | startOffset:int64 | runCount:int32
 *        | runCount x ( firstOffset:int64 | lastOffset:int64 | state:int8 | deliveryCount:int16 | cause:int8 )
 *        | deferredCount:int32
 *        | deferredCount x ( firstOffset:int64 | lastOffset:int64 | dueMs:int64 | deliveryCount:int16 )
 * </pre>
 *
 * {@code cause} is the ordinal of {@link DeadLetter.Cause}, -1 when none. A share group's configs
 * (the ones it set, see {@link ShareGroupConfigs}) are records of their own:
 *
 * <pre>
 * key:   version:int16 (1) | group:int16-length UTF-8
 * value: count:int32 | count x ( name:int16-length UTF-8 | value:int16-length UTF-8 )
 * </pre>
 */
final class ShareSnapshotCodec {
    private static final short VERSION = 0;
    private static final short CONFIG_VERSION = 1;
    private static final short VERSION_DEFERRED = 1;
    private static final int RUN_BYTES = 8 + 8 + 1 + 2;
    private static final int DEFERRED_BYTES = 8 + 8 + 8 + 2;

    private ShareSnapshotCodec() {
    }

    static ByteBuffer encodeKey(ShareKey key) {
        byte[] group = key.groupId().getBytes(StandardCharsets.UTF_8);
        byte[] topic = key.partition().topic().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + group.length + 2 + topic.length + 4);
        buffer.putShort(VERSION).putShort((short) group.length).put(group).putShort((short) topic.length).put(topic)
                .putInt(key.partition().partition());
        return buffer.flip();
    }

    static ByteBuffer encodeConfigKey(String groupId) {
        byte[] group = groupId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + group.length).putShort(CONFIG_VERSION).putShort((short) group.length)
                .put(group).flip();
    }

    /** The group of a config key, or null for a share-partition key. */
    static String configGroup(ByteBuffer key) {
        ByteBuffer b = key.duplicate();
        if (b.getShort() != CONFIG_VERSION) {
            return null;
        }
        return string(b);
    }

    static ByteBuffer encodeConfigs(Map<String, String> configs) {
        List<byte[]> parts = new ArrayList<>();
        int size = 4;
        for (Map.Entry<String, String> e : configs.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
            parts.add(name);
            parts.add(value);
            size += 4 + name.length + value.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(configs.size());
        for (byte[] part : parts) {
            buffer.putShort((short) part.length).put(part);
        }
        return buffer.flip();
    }

    static Map<String, String> decodeConfigs(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        int count = b.getInt();
        Map<String, String> configs = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            configs.put(string(b), string(b));
        }
        return configs;
    }

    static ShareKey decodeKey(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        short version = b.getShort();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown __share_group_state key version " + version);
        }
        String group = string(b);
        String topic = string(b);
        return new ShareKey(group, new TopicPartition(topic, b.getInt()));
    }

    static ByteBuffer encodeValue(ShareSnapshot snapshot) {
        if (!snapshot.deferred().isEmpty() || snapshot.runs().stream().anyMatch(r -> r.cause() != null)) {
            return encodeDeferred(snapshot);
        }
        ByteBuffer buffer = ByteBuffer.allocate(2 + 8 + 4 + snapshot.runs().size() * RUN_BYTES);
        buffer.putShort(VERSION).putLong(snapshot.startOffset()).putInt(snapshot.runs().size());
        for (ShareSnapshot.Run run : snapshot.runs()) {
            buffer.putLong(run.firstOffset()).putLong(run.lastOffset()).put((byte) run.state().ordinal())
                    .putShort((short) run.deliveryCount());
        }
        return buffer.flip();
    }

    private static ByteBuffer encodeDeferred(ShareSnapshot snapshot) {
        ByteBuffer buffer = ByteBuffer.allocate(2 + 8 + 4 + snapshot.runs().size() * (RUN_BYTES + 1) + 4
                + snapshot.deferred().size() * DEFERRED_BYTES);
        buffer.putShort(VERSION_DEFERRED).putLong(snapshot.startOffset()).putInt(snapshot.runs().size());
        for (ShareSnapshot.Run run : snapshot.runs()) {
            buffer.putLong(run.firstOffset()).putLong(run.lastOffset()).put((byte) run.state().ordinal())
                    .putShort((short) run.deliveryCount())
                    .put((byte) (run.cause() == null ? -1 : run.cause().ordinal()));
        }
        buffer.putInt(snapshot.deferred().size());
        for (ShareSnapshot.Deferred d : snapshot.deferred()) {
            buffer.putLong(d.firstOffset()).putLong(d.lastOffset()).putLong(d.dueMs())
                    .putShort((short) d.deliveryCount());
        }
        return buffer.flip();
    }

    /** The snapshot, or null for the null value that deletes the key. */
    static ShareSnapshot decodeValue(ByteBuffer buffer) {
        if (buffer == null || !buffer.hasRemaining()) {
            return null;
        }
        ByteBuffer b = buffer.duplicate();
        short version = b.getShort();
        if (version != VERSION && version != VERSION_DEFERRED) {
            throw new IllegalArgumentException("unknown __share_group_state value version " + version);
        }
        long start = b.getLong();
        int count = b.getInt();
        List<ShareSnapshot.Run> runs = new ArrayList<>(count);
        RecordState[] states = RecordState.values();
        DeadLetter.Cause[] causes = DeadLetter.Cause.values();
        for (int i = 0; i < count; i++) {
            long first = b.getLong();
            long last = b.getLong();
            RecordState state = states[b.get()];
            int deliveries = b.getShort();
            byte cause = version == VERSION ? -1 : b.get();
            runs.add(new ShareSnapshot.Run(first, last, state, deliveries, cause < 0 ? null : causes[cause]));
        }
        if (version == VERSION) {
            return new ShareSnapshot(start, runs);
        }
        int deferredCount = b.getInt();
        List<ShareSnapshot.Deferred> deferred = new ArrayList<>(deferredCount);
        for (int i = 0; i < deferredCount; i++) {
            deferred.add(new ShareSnapshot.Deferred(b.getLong(), b.getLong(), b.getLong(), b.getShort()));
        }
        return new ShareSnapshot(start, runs, deferred);
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getShort()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
