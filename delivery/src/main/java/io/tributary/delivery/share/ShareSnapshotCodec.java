package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
 * {@code state} is the ordinal of {@link RecordState} (ACQUIRED is never written).
 */
final class ShareSnapshotCodec {
    private static final short VERSION = 0;
    private static final int RUN_BYTES = 8 + 8 + 1 + 2;

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
        ByteBuffer buffer = ByteBuffer.allocate(2 + 8 + 4 + snapshot.runs().size() * RUN_BYTES);
        buffer.putShort(VERSION).putLong(snapshot.startOffset()).putInt(snapshot.runs().size());
        for (ShareSnapshot.Run run : snapshot.runs()) {
            buffer.putLong(run.firstOffset()).putLong(run.lastOffset()).put((byte) run.state().ordinal())
                    .putShort((short) run.deliveryCount());
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
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown __share_group_state value version " + version);
        }
        long start = b.getLong();
        int count = b.getInt();
        List<ShareSnapshot.Run> runs = new ArrayList<>(count);
        RecordState[] states = RecordState.values();
        for (int i = 0; i < count; i++) {
            runs.add(new ShareSnapshot.Run(b.getLong(), b.getLong(), states[b.get()], b.getShort()));
        }
        return new ShareSnapshot(start, runs);
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getShort()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
