package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

/**
 * A durable change to group state, as written to and replayed from a {@link GroupStore}. Records
 * with the same key supersede each other: the last one wins at replay.
 */
public sealed interface GroupRecord {
    String groupId();

    /** An offset committed for one partition. */
    record OffsetCommitted(String groupId, TopicPartition partition, OffsetAndMetadata offset) implements GroupRecord {
    }

    /** A committed offset removed (deleted, expired, or its group deleted); a tombstone. */
    record OffsetRemoved(String groupId, TopicPartition partition) implements GroupRecord {
    }

    /**
     * A group's durable metadata: its type and the generation (classic) or group epoch (consumer) it
     * reached, so that a restarted coordinator never reuses one. Members are not stored: after a
     * restart they rejoin.
     */
    record GroupMetadata(String groupId, GroupType type, int generationOrEpoch, String protocolType,
                         String protocolName) implements GroupRecord {
    }

    /** The group was deleted or expired; a tombstone. */
    record GroupRemoved(String groupId) implements GroupRecord {
    }
}
