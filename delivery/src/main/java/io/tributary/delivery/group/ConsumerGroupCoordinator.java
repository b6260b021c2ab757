package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.assignor.AssignmentSpec;
import io.tributary.delivery.group.assignor.PartitionAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The KIP-848 consumer protocol's transitions. A heartbeat updates the member, bumps the group epoch
 * if membership, subscriptions or partition counts changed, recomputes the target assignment when
 * it is behind the group epoch, and reconciles the member one step toward its target:
 *
 * <pre>
 *   owns partitions not in target ──&gt; revoke them, keep epoch (UNREVOKED) ──owned no longer lists them──┐
 *                                                                                                     v
 *   take each target partition no one else holds; epoch := assignment epoch (STABLE, or UNRELEASED while
 *   another member still holds some of them; the next heartbeat picks them up once released)
 * </pre>
 *
 * Members that stop heartbeating for the session timeout, or do not revoke within their rebalance
 * timeout, are removed, which frees their partitions.
 */
final class ConsumerGroupCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupCoordinator.class);

    private final GroupContext ctx;

    ConsumerGroupCoordinator(GroupContext ctx) {
        this.ctx = ctx;
    }

    ConsumerHeartbeatResult heartbeat(ConsumerHeartbeatRequest request) {
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return ConsumerHeartbeatResult.failure(GroupError.INVALID_REQUEST, "GroupId can't be empty", memberId,
                    request.memberEpoch());
        }
        if (request.memberEpoch() == ConsumerHeartbeatRequest.JOIN_EPOCH && request.subscribedTopicNames() == null
                && request.subscribedTopicRegex() == null) {
            return ConsumerHeartbeatResult.failure(GroupError.INVALID_REQUEST,
                    "SubscribedTopicNames or SubscribedTopicRegex must be set in the first request", memberId, 0);
        }
        if (request.serverAssignor() != null && PartitionAssignor.forName(request.serverAssignor()) == null) {
            return ConsumerHeartbeatResult.failure(GroupError.UNSUPPORTED_ASSIGNOR,
                    "Assignor " + request.serverAssignor() + " is not supported; use uniform or range", memberId,
                    request.memberEpoch());
        }
        if (request.memberEpoch() == ConsumerHeartbeatRequest.JOIN_EPOCH) {
            return ctx.registry.withGroupOrCreate(request.groupId(), id -> new ConsumerGroup(id, ctx.now()), group -> {
                ConsumerGroup consumer = asConsumer(group);
                if (consumer == null) {
                    return ConsumerHeartbeatResult.failure(GroupError.GROUP_ID_NOT_FOUND,
                            "Group " + group.groupId + " is a classic group with members", memberId, 0);
                }
                if (consumer != group) {
                    synchronized (consumer) {
                        return heartbeat(consumer, request);
                    }
                }
                return heartbeat(consumer, request);
            });
        }
        return ctx.registry.withGroup(request.groupId(), group -> {
            if (!(group instanceof ConsumerGroup consumer)) {
                return ConsumerHeartbeatResult.failure(GroupError.UNKNOWN_MEMBER_ID,
                        "Member " + memberId + " is not in consumer group " + request.groupId(), memberId,
                        request.memberEpoch());
            }
            return heartbeat(consumer, request);
        });
    }

    private ConsumerGroup asConsumer(Group group) {
        if (group instanceof ConsumerGroup consumer) {
            return consumer;
        }
        if (group.hasMembers()) {
            return null;
        }
        ConsumerGroup replacement = new ConsumerGroup(group.groupId, ctx.now());
        ctx.registry.replace(group, replacement);
        LOG.info("group {} converted from classic to consumer protocol", group.groupId);
        return replacement;
    }

    private ConsumerHeartbeatResult heartbeat(ConsumerGroup group, ConsumerHeartbeatRequest request) {
        int epoch = request.memberEpoch();
        if (epoch == ConsumerHeartbeatRequest.LEAVE_EPOCH || epoch == ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH) {
            return leave(group, request);
        }
        ConsumerMember member;
        boolean groupChanged = false;
        if (epoch == ConsumerHeartbeatRequest.JOIN_EPOCH) {
            String memberId = request.memberId() == null || request.memberId().isEmpty()
                    ? GroupContext.newConsumerMemberId() : request.memberId();
            member = group.members.get(memberId);
            ConsumerMember predecessor = staticHolder(group, request.groupInstanceId());
            if (predecessor != null && predecessor != member) {
                if (!predecessor.staticLeft) {
                    return ConsumerHeartbeatResult.failure(GroupError.UNRELEASED_INSTANCE_ID, "Instance id "
                            + request.groupInstanceId() + " is held by active member " + predecessor.memberId, memberId, 0);
                }
                member = takeOver(group, predecessor, memberId);
            } else if (member != null && member.staticLeft) {
                member.staticLeft = false;
            } else if (member != null) {
                release(group, member, member.assigned);
                release(group, member, member.pendingRevocation);
                member.memberEpoch = 0;
                groupChanged = true;
            } else {
                if (group.members.size() >= ctx.config.maxGroupSize()) {
                    return ConsumerHeartbeatResult.failure(GroupError.GROUP_MAX_SIZE_REACHED,
                            "Group " + group.groupId + " is full", memberId, 0);
                }
                member = new ConsumerMember(memberId);
                member.groupInstanceId = request.groupInstanceId();
                member.lastHeartbeatMs = ctx.now();
                group.members.put(memberId, member);
                scheduleSessionCheck(group, member, ctx.config.consumerSessionTimeoutMs());
                groupChanged = true;
            }
        } else {
            member = group.members.get(request.memberId());
            if (member == null) {
                return ConsumerHeartbeatResult.failure(GroupError.UNKNOWN_MEMBER_ID,
                        "Member " + request.memberId() + " is not in group " + group.groupId, request.memberId(), epoch);
            }
            if (!epochAccepted(member, epoch, request.ownedPartitions())) {
                return ConsumerHeartbeatResult.failure(GroupError.FENCED_MEMBER_EPOCH,
                        "Member epoch " + epoch + " is not the current epoch " + member.memberEpoch,
                        member.memberId, epoch);
            }
        }
        member.lastHeartbeatMs = ctx.now();
        groupChanged |= update(member, request);
        Map<String, Integer> counts = subscribedPartitionCounts(group);
        if (!counts.equals(group.subscribedPartitionCounts)) {
            group.subscribedPartitionCounts = counts;
            groupChanged = true;
        }
        if (groupChanged) {
            group.groupEpoch++;
            ctx.persistMetadata(group);
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            computeTargetAssignment(group);
        }
        reconcile(group, member, request.ownedPartitions());
        return new ConsumerHeartbeatResult(GroupError.NONE, null, member.memberId, member.memberEpoch,
                ctx.config.consumerHeartbeatIntervalMs(), Collections.unmodifiableSet(new TreeSet<>(member.assigned)));
    }

    /**
     * The member's current epoch, or its previous one when the last response was lost: then it may
     * only claim partitions it was already given.
     */
    private static boolean epochAccepted(ConsumerMember member, int epoch, List<TopicPartition> owned) {
        if (epoch == member.memberEpoch) {
            return true;
        }
        return epoch == member.previousMemberEpoch && owned != null && member.assigned.containsAll(owned);
    }

    private static boolean update(ConsumerMember member, ConsumerHeartbeatRequest request) {
        boolean changed = member.subscribe(request.subscribedTopicNames(), request.subscribedTopicRegex());
        if (request.serverAssignor() != null && !request.serverAssignor().equals(member.serverAssignor)) {
            member.serverAssignor = request.serverAssignor();
            changed = true;
        }
        if (request.rebalanceTimeoutMs() > 0) {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        if (request.rackId() != null) {
            member.rackId = request.rackId();
        }
        if (request.clientId() != null) {
            member.clientId = request.clientId();
            member.clientHost = request.clientHost();
        }
        return changed;
    }

    private ConsumerHeartbeatResult leave(ConsumerGroup group, ConsumerHeartbeatRequest request) {
        ConsumerMember member = group.members.get(request.memberId());
        if (member == null) {
            return ConsumerHeartbeatResult.failure(GroupError.UNKNOWN_MEMBER_ID,
                    "Member " + request.memberId() + " is not in group " + group.groupId, request.memberId(),
                    request.memberEpoch());
        }
        if (request.memberEpoch() == ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH && member.groupInstanceId != null) {
            member.staticLeft = true;
            LOG.info("static member {} ({}) of group {} left temporarily; its partitions wait for it",
                    member.memberId, member.groupInstanceId, group.groupId);
        } else {
            removeMember(group, member, "left the group");
        }
        return new ConsumerHeartbeatResult(GroupError.NONE, null, member.memberId, request.memberEpoch(),
                ctx.config.consumerHeartbeatIntervalMs(), Set.of());
    }

    private static ConsumerMember staticHolder(ConsumerGroup group, String groupInstanceId) {
        if (groupInstanceId == null) {
            return null;
        }
        for (ConsumerMember other : group.members.values()) {
            if (groupInstanceId.equals(other.groupInstanceId)) {
                return other;
            }
        }
        return null;
    }

    /**
     * A static member that left temporarily rejoins under a new member id: the new id takes over its
     * epoch, target and partitions, and the group epoch does not move (no rebalance).
     */
    private ConsumerMember takeOver(ConsumerGroup group, ConsumerMember predecessor, String memberId) {
        ConsumerMember successor = predecessor.successor(memberId);
        successor.lastHeartbeatMs = ctx.now();
        group.members.remove(predecessor.memberId);
        group.members.put(memberId, successor);
        Set<TopicPartition> target = group.targetAssignment.remove(predecessor.memberId);
        if (target != null) {
            group.targetAssignment.put(memberId, target);
        }
        group.partitionOwners.replaceAll((tp, owner) -> owner.equals(predecessor.memberId) ? memberId : owner);
        scheduleSessionCheck(group, successor, ctx.config.consumerSessionTimeoutMs());
        LOG.info("static member {} of group {} rejoined as {} (was {}) without a rebalance",
                successor.groupInstanceId, group.groupId, memberId, predecessor.memberId);
        return successor;
    }

    private void removeMember(ConsumerGroup group, ConsumerMember member, String reason) {
        group.members.remove(member.memberId);
        release(group, member, member.assigned);
        release(group, member, member.pendingRevocation);
        group.targetAssignment.remove(member.memberId);
        group.groupEpoch++;
        if (group.members.isEmpty()) {
            group.emptySinceMs = ctx.now();
        }
        ctx.persistMetadata(group);
        LOG.info("member {} of group {} removed: {}; group epoch {}", member.memberId, group.groupId, reason,
                group.groupEpoch);
    }

    private static void release(ConsumerGroup group, ConsumerMember member, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            group.partitionOwners.remove(tp, member.memberId);
        }
        member.drop(partitions);
    }

    private Map<String, Integer> subscribedPartitionCounts(ConsumerGroup group) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerMember member : group.members.values()) {
            for (String topic : member.resolveTopics(ctx.topics)) {
                counts.computeIfAbsent(topic, ctx.topics::partitionCount);
            }
        }
        return counts;
    }

    private void computeTargetAssignment(ConsumerGroup group) {
        Map<String, Set<String>> subscriptions = new HashMap<>();
        String assignorName = null;
        for (ConsumerMember member : group.members.values()) {
            subscriptions.put(member.memberId, member.resolveTopics(ctx.topics));
            if (assignorName == null && member.serverAssignor != null) {
                assignorName = member.serverAssignor;
            }
        }
        PartitionAssignor assignor = PartitionAssignor.forName(
                assignorName == null ? ctx.config.consumerDefaultAssignor() : assignorName);
        Map<String, Set<TopicPartition>> target = assignor.assign(new AssignmentSpec(subscriptions,
                group.subscribedPartitionCounts, group.targetAssignment));
        group.targetAssignment.clear();
        target.forEach((memberId, partitions) -> group.targetAssignment.put(memberId, new HashSet<>(partitions)));
        group.assignmentEpoch = group.groupEpoch;
        LOG.debug("group {} target assignment at epoch {} by {}", group.groupId, group.assignmentEpoch, assignor.name());
    }

    /** Moves the member one step toward its target; see the class comment. */
    private void reconcile(ConsumerGroup group, ConsumerMember member, List<TopicPartition> owned) {
        if (!member.pendingRevocation.isEmpty()) {
            if (owned == null || !Collections.disjoint(owned, member.pendingRevocation)) {
                return;
            }
            release(group, member, member.pendingRevocation);
        }
        Set<TopicPartition> target = group.targetAssignment.getOrDefault(member.memberId, Set.of());
        Set<TopicPartition> revoke = new TreeSet<>(member.assigned);
        revoke.removeAll(target);
        if (!revoke.isEmpty()) {
            member.revoke(revoke);
            scheduleRevocationTimeout(group, member);
            return;
        }
        for (TopicPartition tp : target) {
            if (!member.assigned.contains(tp) && group.partitionOwners.putIfAbsent(tp, member.memberId) == null) {
                member.assign(tp, group.assignmentEpoch);
            }
        }
        if (member.memberEpoch != group.assignmentEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = group.assignmentEpoch;
        }
    }

    private void scheduleRevocationTimeout(ConsumerGroup group, ConsumerMember member) {
        long token = ++member.revocationToken;
        int timeout = member.rebalanceTimeoutMs > 0 ? member.rebalanceTimeoutMs : ctx.config.consumerSessionTimeoutMs();
        ctx.scheduler.schedule(timeout, () -> {
            synchronized (group) {
                if (!group.dead && group.members.get(member.memberId) == member && member.revocationToken == token
                        && !member.pendingRevocation.isEmpty()) {
                    removeMember(group, member, "did not revoke " + member.pendingRevocation + " within " + timeout + " ms");
                }
            }
        });
    }

    private void scheduleSessionCheck(ConsumerGroup group, ConsumerMember member, long delayMs) {
        ctx.scheduler.schedule(delayMs, () -> {
            synchronized (group) {
                if (group.dead || group.members.get(member.memberId) != member) {
                    return;
                }
                long deadline = member.lastHeartbeatMs + ctx.config.consumerSessionTimeoutMs();
                long now = ctx.now();
                if (now < deadline) {
                    scheduleSessionCheck(group, member, deadline - now);
                } else {
                    removeMember(group, member, "session expired");
                }
            }
        });
    }
}
