package io.tributary.transactions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The offsets open transactions sent (TxnOffsetCommit) and have not committed yet, counted per group and
 * partition: Kafka's unstable offsets, for which OffsetFetch with RequireStable answers UNSTABLE_OFFSET_COMMIT.
 *
 * <p>Exists apart from {@link TransactionMetadata#pendingOffsets} because the group side asks from its own
 * threads ({@link #contains}) and must not reach into state the coordinator thread owns; that thread alone
 * counts offsets in ({@link #track}) and out ({@link #untrack}).
 */
final class UnstableOffsets {
    private final Map<Key, Integer> counts = new ConcurrentHashMap<>();

    /** Counts {@code offsets} of {@code groupId} as sent by an open transaction. */
    void track(String groupId, List<PendingOffset> offsets) {
        offsets.forEach(o -> counts.merge(new Key(groupId, o.topic(), o.partition()), 1, Integer::sum));
    }

    /** Counts every offset {@code txn} holds (a transaction replayed at start). */
    void track(TransactionMetadata txn) {
        txn.pendingOffsets.forEach(this::track);
    }

    /** Uncounts every offset {@code txn} holds (it completed, or its id started over). */
    void untrack(TransactionMetadata txn) {
        txn.pendingOffsets.forEach((group, offsets) -> offsets.forEach(o -> counts.computeIfPresent(
                new Key(group, o.topic(), o.partition()), (k, n) -> n == 1 ? null : n - 1)));
    }

    /** Whether an open transaction holds an uncommitted offset of {@code groupId} for the partition. Any thread. */
    boolean contains(String groupId, String topic, int partition) {
        return counts.containsKey(new Key(groupId, topic, partition));
    }

    private record Key(String groupId, String topic, int partition) {
    }
}
