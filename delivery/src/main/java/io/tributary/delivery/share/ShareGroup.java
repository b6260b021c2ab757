package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.TopicMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One share group: its members (under this object's monitor) and its share partitions (each under
 * its own monitor, so fetches of different partitions do not contend).
 */
final class ShareGroup {
    private final String id;
    private volatile ShareConfig config;
    private volatile ShareExtensions extensions = ShareExtensions.NONE;
    private final ShareMembership membership = new ShareMembership();
    private final Map<TopicPartition, SharePartition> partitions = new ConcurrentHashMap<>();
    private List<TopicPartition> releasedByLeave = new ArrayList<>();
    private volatile boolean deadLettering;

    ShareGroup(String id, ShareConfig config) {
        this.id = id;
        this.config = config;
    }

    String id() {
        return id;
    }

    /** The broker's settings with this group's configs applied. */
    ShareConfig config() {
        return config;
    }

    void config(ShareConfig value) {
        this.config = value;
    }

    /** Whether the group has a dead-letter topic: sets it on every share partition, now and when created. */
    void deadLettering(boolean value) {
        deadLettering = value;
        partitions.values().forEach(p -> p.deadLettering(value));
    }

    /** This group's settings beyond Kafka's. */
    ShareExtensions extensions() {
        return extensions;
    }

    /** Applies {@code value} to this group's share partitions, and to those it creates from now on. */
    void extensions(ShareExtensions value) {
        this.extensions = value;
        partitions.values().forEach(p -> p.extensions(value));
    }

    synchronized ShareHeartbeat.Result heartbeat(ShareHeartbeat.Request request, long nowMs, TopicMetadata topics) {
        String memberId = request.memberId();
        ShareMembership.Member member = membership.member(memberId);
        if (request.memberEpoch() == ShareHeartbeat.LEAVE_EPOCH) {
            if (member == null) {
                return ShareHeartbeat.Result.failed(ShareError.UNKNOWN_MEMBER_ID, memberId);
            }
            releasedByLeave.addAll(leave(memberId, topics));
            return new ShareHeartbeat.Result(ShareError.NONE, memberId, ShareHeartbeat.LEAVE_EPOCH, 0, null);
        }
        boolean changed = false;
        if (request.memberEpoch() == ShareHeartbeat.JOIN_EPOCH) {
            if (request.subscribedTopics() == null) {
                return ShareHeartbeat.Result.failed(ShareError.INVALID_REQUEST, memberId);
            }
            // under this group's monitor: of two members joining at once with different definitions, one is refused
            if (membership.otherDefinition(memberId, request.definition()) != null) {
                return ShareHeartbeat.Result.failed(ShareError.INCONSISTENT_DEFINITION, memberId);
            }
            if (member == null) {
                if (membership.size() >= config.maxGroupSize()) {
                    return ShareHeartbeat.Result.failed(ShareError.GROUP_MAX_SIZE_REACHED, memberId);
                }
                member = membership.join(memberId, nowMs);
            }
            member.definition = request.definition();
            changed = true;
        } else if (member == null) {
            return ShareHeartbeat.Result.failed(ShareError.UNKNOWN_MEMBER_ID, memberId);
        } else if (request.memberEpoch() != member.epoch) {
            return ShareHeartbeat.Result.failed(ShareError.FENCED_MEMBER_EPOCH, memberId);
        }
        member.lastSeenMs = nowMs;
        member.clientId = request.clientId();
        member.clientHost = request.clientHost();
        if (request.subscribedTopics() != null && !request.subscribedTopics().equals(member.subscription)) {
            member.subscription = List.copyOf(request.subscribedTopics());
            changed = true;
        }
        membership.reassign(changed, topics);
        member.epoch = membership.groupEpoch();
        return new ShareHeartbeat.Result(ShareError.NONE, memberId, member.epoch, config.heartbeatIntervalMs(),
                member.assignment);
    }

    synchronized boolean isMember(String memberId) {
        return membership.member(memberId) != null;
    }

    synchronized boolean isEmpty() {
        return membership.isEmpty();
    }

    /** Removes members not heard from within the session timeout and releases their records. */
    synchronized List<TopicPartition> expireMembers(long nowMs, TopicMetadata topics) {
        List<String> expired = new ArrayList<>();
        for (ShareMembership.Member member : membership.members()) {
            if (nowMs - member.lastSeenMs > config.sessionTimeoutMs()) {
                expired.add(member.id);
            }
        }
        List<TopicPartition> changed = new ArrayList<>();
        expired.forEach(id -> changed.addAll(leave(id, topics)));
        return changed;
    }

    private List<TopicPartition> leave(String memberId, TopicMetadata topics) {
        membership.remove(memberId);
        membership.reassign(true, topics);
        return releaseAll(memberId);
    }

    /** Partitions whose records a heartbeat's leave released, for the engine to persist; cleared by reading. */
    synchronized List<TopicPartition> takeReleasedByLeave() {
        List<TopicPartition> taken = releasedByLeave;
        releasedByLeave = new ArrayList<>();
        return taken;
    }

    /** Releases every record of {@code memberId}; returns the partitions where it held some. */
    List<TopicPartition> releaseAll(String memberId) {
        List<TopicPartition> changed = new ArrayList<>();
        for (Map.Entry<TopicPartition, SharePartition> e : partitions.entrySet()) {
            if (e.getValue().releaseAll(memberId, config.deliveryCountLimit()) > 0) {
                changed.add(e.getKey());
            }
        }
        return changed;
    }

    /** The share partition of {@code tp}, created at {@code initialOffset}'s answer on first use. */
    SharePartition partition(TopicPartition tp, ToLongFunction<TopicPartition> initialOffset) {
        return partitions.computeIfAbsent(tp, p -> configured(new SharePartition(initialOffset.applyAsLong(p),
                config.maxRecordLocks())));
    }

    /** Puts back the share partition of {@code tp} as a snapshot left it; before the group serves anyone. */
    void restore(TopicPartition tp, ShareSnapshot snapshot) {
        partitions.put(tp, configured(SharePartition.restore(snapshot, config.maxRecordLocks())));
    }

    /** Replaces the share partition of {@code tp} with an empty one starting at {@code offset}. */
    void resetPartition(TopicPartition tp, long offset) {
        partitions.put(tp, configured(new SharePartition(offset, config.maxRecordLocks())));
    }

    private SharePartition configured(SharePartition partition) {
        partition.extensions(extensions);
        partition.deadLettering(deadLettering);
        return partition;
    }

    /** Removes the share partitions whose partition {@code which} accepts; returns those it removed. */
    List<TopicPartition> removePartitions(Predicate<TopicPartition> which) {
        List<TopicPartition> removed = new ArrayList<>();
        for (TopicPartition tp : List.copyOf(partitions.keySet())) {
            if (which.test(tp) && partitions.remove(tp) != null) {
                removed.add(tp);
            }
        }
        return removed;
    }

    /** The share partition of {@code tp} if one was created. */
    SharePartition existingPartition(TopicPartition tp) {
        return partitions.get(tp);
    }

    Map<TopicPartition, SharePartition> partitions() {
        return partitions;
    }

    /** Releases expired locks; returns the partitions where some expired. */
    List<TopicPartition> expireLocks(long nowMs) {
        List<TopicPartition> changed = new ArrayList<>();
        for (Map.Entry<TopicPartition, SharePartition> e : partitions.entrySet()) {
            if (e.getValue().expireLocks(nowMs, config.deliveryCountLimit()) > 0) {
                changed.add(e.getKey());
            }
        }
        return changed;
    }

    synchronized ShareGroupDescription describe() {
        List<ShareGroupDescription.Member> members = new ArrayList<>();
        for (ShareMembership.Member m : membership.members()) {
            members.add(new ShareGroupDescription.Member(m.id, m.epoch, m.clientId, m.clientHost, m.subscription,
                    m.assignment));
        }
        return new ShareGroupDescription(id, membership.isEmpty() ? "Empty" : "Stable", membership.groupEpoch(),
                members);
    }
}
