package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Membership state of a consumer (KIP-848) group. The group epoch advances whenever membership,
 * subscriptions or the subscribed topics' partition counts change; the target assignment is then
 * recomputed and stamped with that epoch; each member converges toward its target, and only
 * takes a partition once no other member owns it. Transitions live in {@link ConsumerGroupCoordinator}.
 * Guarded by its own monitor.
 */
final class ConsumerGroup extends Group {
    int groupEpoch;
    int assignmentEpoch;
    final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    final Map<String, Set<TopicPartition>> targetAssignment = new HashMap<>();
    /** Who holds each partition now, including partitions awaiting revocation. */
    final Map<TopicPartition, String> partitionOwners = new HashMap<>();
    /** Partition count of every subscribed topic when the target was last computed. */
    Map<String, Integer> subscribedPartitionCounts = Map.of();

    ConsumerGroup(String groupId, long nowMs) {
        super(groupId, nowMs);
    }

    @Override
    GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    GroupState state() {
        if (dead) {
            return GroupState.DEAD;
        }
        if (members.isEmpty()) {
            return GroupState.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return GroupState.ASSIGNING;
        }
        for (ConsumerMember member : members.values()) {
            if (member.memberEpoch != assignmentEpoch || !member.pendingRevocation.isEmpty()
                    || !member.assigned.equals(targetAssignment.getOrDefault(member.memberId, Set.of()))) {
                return GroupState.RECONCILING;
            }
        }
        return GroupState.STABLE;
    }

    @Override
    boolean hasMembers() {
        return !members.isEmpty();
    }

    @Override
    String protocolType() {
        return "consumer";
    }

    @Override
    boolean isSubscribedTo(String topic) {
        return subscribedPartitionCounts.containsKey(topic) && !members.isEmpty();
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    /**
     * Kafka's rules since KIP-1251: the member's current epoch is accepted for any partition; an older
     * epoch only if each partition committed is still held by the member (assigned or pending
     * revocation) and was given to it at that epoch or before, since an auto-commit or commitAsync may be
     * in flight while a heartbeat bumps the epoch; a newer epoch never. With {@code partitions} null (an
     * OffsetFetch) only the current epoch is accepted, as in Kafka.
     */
    @Override
    GroupError validateOffsetCommit(String memberId, String groupInstanceId, int memberEpoch,
                                    Collection<TopicPartition> partitions) {
        // Epoch -1 comes from the admin client, a consumer outside group management, or a member
        // that has already left (its session or poll interval ran out): as in Kafka, such a commit
        // is accepted while the group is empty, whatever member id it still carries.
        if (memberEpoch < 0 && members.isEmpty()) {
            return GroupError.NONE;
        }
        ConsumerMember member = members.get(memberId);
        if (member == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (memberEpoch == member.memberEpoch) {
            return GroupError.NONE;
        }
        if (memberEpoch > member.memberEpoch || partitions == null) {
            return GroupError.STALE_MEMBER_EPOCH;
        }
        for (TopicPartition tp : partitions) {
            Integer assignedAt = member.assignmentEpoch(tp);
            if (assignedAt == null || memberEpoch < assignedAt) {
                return GroupError.STALE_MEMBER_EPOCH;
            }
        }
        return GroupError.NONE;
    }

    @Override
    GroupRecord.GroupMetadata metadataRecord() {
        return new GroupRecord.GroupMetadata(groupId, GroupType.CONSUMER, groupEpoch, "consumer", null,
                hasMembers() ? GroupRecord.GroupMetadata.HAS_MEMBERS : emptySinceMs);
    }

    @Override
    void kill() {
        dead = true;
        members.clear();
        targetAssignment.clear();
        partitionOwners.clear();
    }
}
