package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Membership state of a classic group: members, generation, selected protocol and leader. The
 * transitions live in {@link ClassicGroupCoordinator}; this class answers questions about the state.
 * Guarded by its own monitor.
 */
final class ClassicGroup extends Group {
    GroupState state = GroupState.EMPTY;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    final Map<String, ClassicMember> members = new LinkedHashMap<>();
    /** group.instance.id to the member id that currently holds it. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet. */
    final Set<String> pendingMembers = new HashSet<>();
    /** Identifies the current rebalance so that a stale timer does nothing. */
    long rebalanceToken;
    /** True while the first rebalance after Empty waits out group.initial.rebalance.delay.ms. */
    boolean initialDelayActive;
    /** Set when a member joins during the initial delay, which then extends it (Kafka's InitialDelayedJoin). */
    boolean newMemberAdded;

    ClassicGroup(String groupId, long nowMs) {
        super(groupId, nowMs);
    }

    @Override
    GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    GroupState state() {
        return state;
    }

    @Override
    boolean hasMembers() {
        return !members.isEmpty();
    }

    @Override
    String protocolType() {
        return protocolType == null ? "" : protocolType;
    }

    /**
     * The coordinator cannot read the opaque subscription metadata, so a classic group with members
     * is taken to use every topic; offsets can be deleted once it is empty.
     */
    @Override
    boolean isSubscribedTo(String topic) {
        return hasMembers();
    }

    @Override
    GroupError validateOffsetCommit(String memberId, String groupInstanceId, int generationId,
                                    Collection<TopicPartition> partitions) {
        if (generationId < 0 && (memberId == null || memberId.isEmpty()) && groupInstanceId == null) {
            return hasMembers() ? GroupError.UNKNOWN_MEMBER_ID : GroupError.NONE;
        }
        GroupError memberError = validateMember(memberId, groupInstanceId);
        if (memberError != GroupError.NONE) {
            return memberError;
        }
        if (state == GroupState.COMPLETING_REBALANCE) {
            return GroupError.REBALANCE_IN_PROGRESS;
        }
        return generationId == this.generationId ? GroupError.NONE : GroupError.ILLEGAL_GENERATION;
    }

    /** UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID or NONE for a request naming a member. */
    GroupError validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String holder = staticMembers.get(groupInstanceId);
            if (holder == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (!holder.equals(memberId)) {
                return GroupError.FENCED_INSTANCE_ID;
            }
        }
        return members.containsKey(memberId) ? GroupError.NONE : GroupError.UNKNOWN_MEMBER_ID;
    }

    @Override
    GroupRecord.GroupMetadata metadataRecord() {
        return new GroupRecord.GroupMetadata(groupId, GroupType.CLASSIC, generationId, protocolType, protocolName,
                hasMembers() ? GroupRecord.GroupMetadata.HAS_MEMBERS : emptySinceMs);
    }

    @Override
    void kill() {
        dead = true;
        state = GroupState.DEAD;
        for (ClassicMember member : members.values()) {
            member.completeJoin(JoinGroupResult.failure(GroupError.COORDINATOR_NOT_AVAILABLE, member.memberId));
            member.completeSync(SyncGroupResult.failure(GroupError.COORDINATOR_NOT_AVAILABLE));
        }
        members.clear();
        staticMembers.clear();
        pendingMembers.clear();
    }

    /** Whether a joining member's protocols fit the group: same type and at least one protocol all support. */
    boolean acceptsProtocols(String type, Iterable<ClassicProtocol> protocols) {
        if (members.isEmpty()) {
            // as Kafka: an empty group takes any protocol type and protocols, but not none (a member without
            // protocols would leave the group without one, and its leader without metadata to assign from)
            return type != null && !type.isEmpty() && protocols.iterator().hasNext();
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        Set<String> common = candidateProtocols();
        for (ClassicProtocol protocol : protocols) {
            if (common.contains(protocol.name())) {
                return true;
            }
        }
        return false;
    }

    /** Protocols every member supports, in the first member's order of preference. */
    Set<String> candidateProtocols() {
        Set<String> common = new LinkedHashSet<>();
        boolean first = true;
        for (ClassicMember member : members.values()) {
            if (first) {
                member.protocols.forEach(p -> common.add(p.name()));
                first = false;
            } else {
                common.removeIf(name -> !member.supports(name));
            }
        }
        return common;
    }

    /**
     * Kafka's vote: each member votes for the first protocol of its own list that all support; the
     * most votes win, ties going to the earlier candidate.
     */
    String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (ClassicMember member : members.values()) {
            for (ClassicProtocol protocol : member.protocols) {
                if (candidates.contains(protocol.name())) {
                    votes.merge(protocol.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> entry : votes.entrySet()) {
            if (entry.getValue() > bestVotes) {
                best = entry.getKey();
                bestVotes = entry.getValue();
            }
        }
        return best;
    }

    boolean allMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (ClassicMember member : members.values()) {
            if (member.awaitingJoin == null) {
                return false;
            }
        }
        return true;
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (ClassicMember member : members.values()) {
            max = Math.max(max, member.rebalanceTimeoutMs);
        }
        return max;
    }
}
