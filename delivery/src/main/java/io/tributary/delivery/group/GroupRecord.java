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
     * reached, so that a restarted coordinator never reuses one, and since when it has had no
     * members ({@link #HAS_MEMBERS} while it has some), so that offset expiry survives a restart, as
     * Kafka's currentStateTimestamp does. Members are not stored: after a restart they rejoin.
     */
    record GroupMetadata(String groupId, GroupType type, int generationOrEpoch, String protocolType,
                         String protocolName, long emptySinceMs) implements GroupRecord {
        /** {@link #emptySinceMs} of a group with members, or of a record written before it was stored. */
        public static final long HAS_MEMBERS = -1L;

        /** Metadata of a group with members. */
        public GroupMetadata(String groupId, GroupType type, int generationOrEpoch, String protocolType,
                             String protocolName) {
            this(groupId, type, generationOrEpoch, protocolType, protocolName, HAS_MEMBERS);
        }
    }

    /** The group was deleted or expired; a tombstone. */
    record GroupRemoved(String groupId) implements GroupRecord {
    }
}
