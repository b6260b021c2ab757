package io.tributary.kafka.group;

/**
 * Whether a group's offset for a partition is held by an open transaction (sent with
 * TxnOffsetCommit, not yet committed); the broker's is the transaction coordinator's
 * {@code hasPendingOffset}.
 */
@FunctionalInterface
public interface UnstableOffsets {
    boolean isUnstable(String groupId, String topic, int partition);
}
