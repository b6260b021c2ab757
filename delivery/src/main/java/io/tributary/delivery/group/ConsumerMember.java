package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** A member of a consumer (KIP-848) group. Guarded by its group's monitor. */
final class ConsumerMember {
    final String memberId;
    String groupInstanceId;
    String rackId;
    String clientId;
    String clientHost;
    int memberEpoch;
    int previousMemberEpoch;
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    Pattern subscribedPattern;
    String serverAssignor;
    /** Partitions the member may consume now, as last told to it. */
    final Set<TopicPartition> assigned = new TreeSet<>();
    /** Partitions it was asked to give up and has not yet confirmed giving up. */
    final Set<TopicPartition> pendingRevocation = new TreeSet<>();
    /**
     * The member epoch at which it was given each partition it holds, assigned or pending revocation
     * (KIP-1251's assignment epochs): a commit with an older epoch than its current one is accepted for a
     * partition it has held since that epoch. Not stored, like the rest of the member: members rejoin
     * after a restart.
     */
    private final Map<TopicPartition, Integer> assignmentEpochs = new HashMap<>();
    long lastHeartbeatMs;
    /** A static member that left with epoch -2: it keeps its assignment until its session expires. */
    boolean staticLeft;
    /** Identifies the current revocation so that a stale timer does nothing. */
    long revocationToken;

    ConsumerMember(String memberId) {
        this.memberId = memberId;
    }

    /** Gives the member {@code tp} at member epoch {@code epoch}. */
    void assign(TopicPartition tp, int epoch) {
        assigned.add(tp);
        assignmentEpochs.put(tp, epoch);
    }

    /** Moves {@code partitions} from assigned to pending revocation; they keep their assignment epochs. */
    void revoke(Set<TopicPartition> partitions) {
        assigned.removeAll(partitions);
        pendingRevocation.addAll(partitions);
    }

    /** Empties {@code held}, the member's {@link #assigned} or {@link #pendingRevocation}: it holds none of them now. */
    void drop(Collection<TopicPartition> held) {
        held.forEach(assignmentEpochs::remove);
        held.clear();
    }

    /** The epoch at which the member was given {@code tp}, or null if it holds it neither assigned nor revoking. */
    Integer assignmentEpoch(TopicPartition tp) {
        return assignmentEpochs.get(tp);
    }

    /**
     * The member that takes over this static member's place under a new member id: same epochs,
     * subscription and partitions.
     */
    ConsumerMember successor(String newMemberId) {
        ConsumerMember next = new ConsumerMember(newMemberId);
        next.groupInstanceId = groupInstanceId;
        next.rackId = rackId;
        next.memberEpoch = memberEpoch;
        next.previousMemberEpoch = previousMemberEpoch;
        next.rebalanceTimeoutMs = rebalanceTimeoutMs;
        next.subscribedTopicNames = subscribedTopicNames;
        next.subscribedTopicRegex = subscribedTopicRegex;
        next.subscribedPattern = subscribedPattern;
        next.serverAssignor = serverAssignor;
        next.assigned.addAll(assigned);
        next.pendingRevocation.addAll(pendingRevocation);
        next.assignmentEpochs.putAll(assignmentEpochs);
        return next;
    }

    /** Sets the subscription; true if it changed. */
    boolean subscribe(List<String> topicNames, String regex) {
        boolean changed = false;
        if (topicNames != null && !Set.copyOf(topicNames).equals(Set.copyOf(subscribedTopicNames))) {
            subscribedTopicNames = List.copyOf(topicNames);
            changed = true;
        }
        if (regex != null && !regex.equals(subscribedTopicRegex == null ? "" : subscribedTopicRegex)) {
            subscribedTopicRegex = regex.isEmpty() ? null : regex;
            subscribedPattern = regex.isEmpty() ? null : Pattern.compile(regex);
            changed = true;
        }
        return changed;
    }

    /** Subscribed topics that exist: the named ones plus those matching the regex. */
    Set<String> resolveTopics(TopicMetadata topics) {
        Set<String> resolved = new TreeSet<>();
        for (String name : subscribedTopicNames) {
            if (topics.partitionCount(name) > 0) {
                resolved.add(name);
            }
        }
        if (subscribedPattern != null) {
            for (String name : topics.topicNames()) {
                if (!name.startsWith("__") && subscribedPattern.matcher(name).matches()) {
                    resolved.add(name);
                }
            }
        }
        return resolved;
    }
}
