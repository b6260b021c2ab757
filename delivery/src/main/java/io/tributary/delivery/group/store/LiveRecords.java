package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of {@code __consumer_offsets} that still matter: for each key the last record, unless
 * it is a tombstone, in the order of their last write. Applying every stored record, oldest first,
 * leaves here exactly what {@code GroupStateLoader} would rebuild a group from:
 * <ul>
 *   <li>{@link GroupRecord.OffsetCommitted} and {@link GroupRecord.GroupMetadata} replace the
 *       record of their key and move it to the end;</li>
 *   <li>{@link GroupRecord.OffsetRemoved} drops its key;</li>
 *   <li>{@link GroupRecord.GroupRemoved} drops every record of the group, as the loader kills the
 *       group with all its offsets, whatever their keys.</li>
 * </ul>
 * So replaying {@link #snapshot()} gives the same groups as replaying everything applied.
 *
 * <p>Also keeps an estimate of the bytes the snapshot takes in record batches, to judge how much
 * of the partition is garbage. Not thread-safe: its owner guards it.
 */
final class LiveRecords {
    /** Per-record bytes besides key and value: length, attributes, deltas, header count varints. */
    private static final int RECORD_OVERHEAD = 10;

    private final LinkedHashMap<Key, Live> records = new LinkedHashMap<>();
    private final Map<String, Set<Key>> keysByGroup = new HashMap<>();
    private long bytes;

    /** Applies one record read from, or appended to, the log, in log order. */
    void apply(GroupRecord record) {
        if (record instanceof GroupRecord.GroupRemoved) {
            Set<Key> keys = keysByGroup.remove(record.groupId());
            if (keys != null) {
                keys.forEach(key -> bytes -= records.remove(key).bytes);
            }
            return;
        }
        Key key = Key.of(record);
        Live previous = records.remove(key);
        if (previous != null) {
            bytes -= previous.bytes;
        }
        if (record instanceof GroupRecord.OffsetRemoved) {
            Set<Key> keys = keysByGroup.get(key.groupId);
            if (keys != null) {
                keys.remove(key);
                if (keys.isEmpty()) {
                    keysByGroup.remove(key.groupId);
                }
            }
            return;
        }
        Live live = new Live(record, sizeOf(record));
        records.put(key, live);
        keysByGroup.computeIfAbsent(key.groupId, id -> new LinkedHashSet<>()).add(key);
        bytes += live.bytes;
    }

    /** The live records, oldest last write first. */
    List<GroupRecord> snapshot() {
        List<GroupRecord> snapshot = new ArrayList<>(records.size());
        records.values().forEach(live -> snapshot.add(live.record));
        return snapshot;
    }

    /** Estimated bytes of {@link #snapshot()} as records, batch headers not counted. */
    long bytes() {
        return bytes;
    }

    int size() {
        return records.size();
    }

    private static int sizeOf(GroupRecord record) {
        ByteBuffer value = GroupRecordCodec.value(record);
        return GroupRecordCodec.key(record).remaining() + (value == null ? 0 : value.remaining()) + RECORD_OVERHEAD;
    }

    /** A record's identity: its group and, for an offset, the partition (null for group metadata). */
    private record Key(String groupId, TopicPartition partition) {
        static Key of(GroupRecord record) {
            if (record instanceof GroupRecord.OffsetCommitted committed) {
                return new Key(record.groupId(), committed.partition());
            }
            if (record instanceof GroupRecord.OffsetRemoved removed) {
                return new Key(record.groupId(), removed.partition());
            }
            return new Key(record.groupId(), null);
        }
    }

    private record Live(GroupRecord record, int bytes) {
    }
}
