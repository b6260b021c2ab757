package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.List;
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
    long lastHeartbeatMs;
    /** A static member that left with epoch -2: it keeps its assignment until its session expires. */
    boolean staticLeft;
    /** Identifies the current revocation so that a stale timer does nothing. */
    long revocationToken;

    ConsumerMember(String memberId) {
        this.memberId = memberId;
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
