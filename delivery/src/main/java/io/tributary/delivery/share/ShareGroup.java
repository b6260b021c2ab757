package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.TopicMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * One share group: its members (under this object's monitor) and its share partitions (each under
 * its own monitor, so fetches of different partitions do not contend).
 */
final class ShareGroup {
    private final String id;
    private final ShareConfig config;
    private final ShareMembership membership = new ShareMembership();
    private final Map<TopicPartition, SharePartition> partitions = new ConcurrentHashMap<>();

    ShareGroup(String id, ShareConfig config) {
        this.id = id;
        this.config = config;
    }

    String id() {
        return id;
    }

    synchronized ShareHeartbeat.Result heartbeat(ShareHeartbeat.Request request, long nowMs, TopicMetadata topics) {
        String memberId = request.memberId();
        ShareMembership.Member member = membership.member(memberId);
        if (request.memberEpoch() == ShareHeartbeat.LEAVE_EPOCH) {
            if (member == null) {
                return ShareHeartbeat.Result.failed(ShareError.UNKNOWN_MEMBER_ID, memberId);
            }
            leave(memberId, topics);
            return new ShareHeartbeat.Result(ShareError.NONE, memberId, ShareHeartbeat.LEAVE_EPOCH, 0, null);
        }
        boolean changed = false;
        if (request.memberEpoch() == ShareHeartbeat.JOIN_EPOCH) {
            if (request.subscribedTopics() == null) {
                return ShareHeartbeat.Result.failed(ShareError.INVALID_REQUEST, memberId);
            }
            if (member == null) {
                if (membership.size() >= config.maxGroupSize()) {
                    return ShareHeartbeat.Result.failed(ShareError.GROUP_MAX_SIZE_REACHED, memberId);
                }
                member = membership.join(memberId, nowMs);
            }
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
    synchronized void expireMembers(long nowMs, TopicMetadata topics) {
        List<String> expired = new ArrayList<>();
        for (ShareMembership.Member member : membership.members()) {
            if (nowMs - member.lastSeenMs > config.sessionTimeoutMs()) {
                expired.add(member.id);
            }
        }
        expired.forEach(id -> leave(id, topics));
    }

    private void leave(String memberId, TopicMetadata topics) {
        membership.remove(memberId);
        membership.reassign(true, topics);
        releaseAll(memberId);
    }

    void releaseAll(String memberId) {
        for (SharePartition partition : partitions.values()) {
            partition.releaseAll(memberId, config.deliveryCountLimit());
        }
    }

    /** The share partition of {@code tp}, created at {@code initialOffset}'s answer on first use. */
    SharePartition partition(TopicPartition tp, ToLongFunction<TopicPartition> initialOffset) {
        return partitions.computeIfAbsent(tp, p -> new SharePartition(initialOffset.applyAsLong(p),
                config.maxRecordLocks()));
    }

    /** The share partition of {@code tp} if one was created. */
    SharePartition existingPartition(TopicPartition tp) {
        return partitions.get(tp);
    }

    Map<TopicPartition, SharePartition> partitions() {
        return partitions;
    }

    void expireLocks(long nowMs) {
        for (SharePartition partition : partitions.values()) {
            partition.expireLocks(nowMs, config.deliveryCountLimit());
        }
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
