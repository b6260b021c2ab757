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

    @Override
    /**
     * The member's current epoch is accepted; so is the epoch before its latest bump when the member
     * still holds every partition it commits, since a heartbeat may have moved the epoch while the
     * commit was in flight (a relaxation in the spirit of Kafka's later assignment-epoch checks).
     */
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
        boolean previous = memberEpoch == member.previousMemberEpoch && memberEpoch > 0;
        if (previous && (partitions == null || holdsAll(member, partitions))) {
            return GroupError.NONE;
        }
        return GroupError.STALE_MEMBER_EPOCH;
    }

    private static boolean holdsAll(ConsumerMember member, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (!member.assigned.contains(tp) && !member.pendingRevocation.contains(tp)) {
                return false;
            }
        }
        return true;
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
