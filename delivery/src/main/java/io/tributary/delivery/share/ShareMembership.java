package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.TopicMetadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The members of one share group and the server-side assignment of partitions to them.
 *
 * <p>Assignment: the partitions of all subscribed topics, in topic and partition order, and the members in
 * member-id order are dealt round-robin over the longer list, so every partition has at least one member
 * and every member at least one partition; with more members than partitions several members share a
 * partition (they compete for its records), with fewer each member gets several. A member only gets
 * partitions of topics it subscribes to. Recomputed on every change of members, subscriptions or
 * partition counts.
 *
 * <p>Not thread-safe: its {@link ShareGroup} holds the lock.
 */
final class ShareMembership {
    private final Map<String, Member> members = new TreeMap<>();
    private int groupEpoch;
    private Map<String, Integer> partitionCounts = Map.of();

    static final class Member {
        final String id;
        int epoch;
        List<String> subscription = List.of();
        Set<TopicPartition> assignment = Set.of();
        long lastSeenMs;
        String clientId;
        String clientHost;
        /** What it joined with ({@link ShareHeartbeat.Request#definition}), or null. */
        String definition;

        Member(String id) {
            this.id = id;
        }
    }

    int groupEpoch() {
        return groupEpoch;
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    Member member(String id) {
        return members.get(id);
    }

    Iterable<Member> members() {
        return members.values();
    }

    int size() {
        return members.size();
    }

    Member join(String id, long nowMs) {
        Member member = new Member(id);
        member.lastSeenMs = nowMs;
        members.put(id, member);
        return member;
    }

    /**
     * A current member other than {@code joining} whose definition is not null and differs from {@code definition},
     * or null if there is none (always null for a null {@code definition}).
     */
    Member otherDefinition(String joining, String definition) {
        if (definition == null) {
            return null;
        }
        for (Member m : members.values()) {
            if (!m.id.equals(joining) && m.definition != null && !m.definition.equals(definition)) {
                return m;
            }
        }
        return null;
    }

    void remove(String id) {
        if (members.remove(id) != null) {
            groupEpoch++;
        }
    }

    /** Recomputes the assignment if members, subscriptions or partition counts changed; bumps the epoch then. */
    void reassign(boolean membersChanged, TopicMetadata topics) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Member member : members.values()) {
            for (String topic : member.subscription) {
                counts.computeIfAbsent(topic, topics::partitionCount);
            }
        }
        if (!membersChanged && counts.equals(partitionCounts)) {
            return;
        }
        partitionCounts = counts;
        groupEpoch++;
        Map<String, Set<TopicPartition>> next = new TreeMap<>();
        members.keySet().forEach(id -> next.put(id, new TreeSet<>()));
        for (Map.Entry<String, Integer> topic : counts.entrySet()) {
            List<String> subscribers = new ArrayList<>();
            for (Member member : members.values()) {
                if (member.subscription.contains(topic.getKey())) {
                    subscribers.add(member.id);
                }
            }
            int partitions = topic.getValue();
            if (partitions <= 0 || subscribers.isEmpty()) {
                continue;
            }
            for (int i = 0; i < Math.max(partitions, subscribers.size()); i++) {
                next.get(subscribers.get(i % subscribers.size()))
                        .add(new TopicPartition(topic.getKey(), i % partitions));
            }
        }
        for (Member member : members.values()) {
            member.assignment = Set.copyOf(next.get(member.id));
        }
    }

    /** Every partition some member is assigned. */
    Set<TopicPartition> assignedPartitions() {
        Set<TopicPartition> all = new HashSet<>();
        members.values().forEach(m -> all.addAll(m.assignment));
        return all;
    }
}
