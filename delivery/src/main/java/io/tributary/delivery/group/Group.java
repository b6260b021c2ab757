package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * State common to every group: its committed offsets and liveness. Subclasses hold the membership
 * state of one protocol. All fields are guarded by the group's monitor (see the package docs).
 */
abstract class Group {
    final String groupId;
    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    /** When the group last became empty of members (or was created); drives offset expiry. */
    long emptySinceMs;
    /** Set once the group is deleted; a caller that finds a dead group looks it up again. */
    boolean dead;

    Group(String groupId, long nowMs) {
        this.groupId = groupId;
        this.emptySinceMs = nowMs;
    }

    abstract GroupType type();

    abstract GroupState state();

    abstract boolean hasMembers();

    /** Protocol type shown by ListGroups ("consumer" for KIP-848 groups). */
    abstract String protocolType();

    /** Whether offsets of {@code topic} are in active use, so that OffsetDelete must refuse them. */
    abstract boolean isSubscribedTo(String topic);

    /**
     * Checks who may commit offsets of {@code partitions} (null for a fetch, which reads any, and so is
     * held to the member's current epoch or generation): NONE, or the error to answer with.
     */
    abstract GroupError validateOffsetCommit(String memberId, String groupInstanceId, int generationOrEpoch,
                                             Collection<TopicPartition> partitions);

    /** The durable form of this group's metadata. */
    abstract GroupRecord.GroupMetadata metadataRecord();

    /** Marks the group deleted: members are dropped and pending calls answered. */
    abstract void kill();
}
