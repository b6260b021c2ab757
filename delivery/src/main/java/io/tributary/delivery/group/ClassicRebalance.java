package io.tributary.delivery.group;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The rebalance of a classic group: the join phase (with Kafka's initial delay for a new group and
 * the rebalance timeout for members that do not rejoin), the new generation with its leader and
 * protocol, the sync phase deadline, and member sessions. Callers hold the group's monitor; timers
 * take it themselves and check a token so that a stale timer does nothing.
 */
final class ClassicRebalance {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicRebalance.class);

    private final GroupContext ctx;

    ClassicRebalance(GroupContext ctx) {
        this.ctx = ctx;
    }

    void removeMember(ClassicGroup group, ClassicMember member) {
        group.members.remove(member.memberId);
        if (member.groupInstanceId != null) {
            group.staticMembers.remove(member.groupInstanceId, member.memberId);
        }
        member.completeJoin(JoinGroupResult.failure(GroupError.UNKNOWN_MEMBER_ID, member.memberId));
        member.completeSync(SyncGroupResult.failure(GroupError.UNKNOWN_MEMBER_ID));
    }

    void membersChanged(ClassicGroup group, String reason) {
        switch (group.state) {
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            case COMPLETING_REBALANCE, STABLE -> prepareRebalance(group, reason);
            default -> {
            }
        }
    }

    void prepareRebalance(ClassicGroup group, String reason) {
        if (group.state == GroupState.PREPARING_REBALANCE) {
            maybeCompleteJoin(group);
            return;
        }
        if (group.state == GroupState.COMPLETING_REBALANCE) {
            for (ClassicMember member : group.members.values()) {
                member.completeSync(SyncGroupResult.failure(GroupError.REBALANCE_IN_PROGRESS));
            }
        }
        boolean initialDelay = group.state == GroupState.EMPTY && ctx.config.initialRebalanceDelayMs() > 0;
        group.state = GroupState.PREPARING_REBALANCE;
        group.initialDelayActive = initialDelay;
        long token = ++group.rebalanceToken;
        LOG.debug("group {} preparing rebalance (generation {}): {}", group.groupId, group.generationId, reason);
        if (initialDelay) {
            group.newMemberAdded = false;
            int delay = Math.min(ctx.config.initialRebalanceDelayMs(), group.maxRebalanceTimeoutMs());
            scheduleInitialDelay(group, token, delay, Math.max(0, group.maxRebalanceTimeoutMs() - delay));
        } else {
            ctx.scheduler.schedule(group.maxRebalanceTimeoutMs(), () -> {
                synchronized (group) {
                    if (!group.dead && group.state == GroupState.PREPARING_REBALANCE && group.rebalanceToken == token) {
                        completeJoin(group);
                    }
                }
            });
        }
        if (!initialDelay) {
            maybeCompleteJoin(group);
        }
    }

    /**
     * The first rebalance of an empty group waits group.initial.rebalance.delay.ms, and again as long
     * as members keep arriving, up to the rebalance timeout, so that consumers starting together
     * land in one generation.
     */
    private void scheduleInitialDelay(ClassicGroup group, long token, long delay, long remaining) {
        ctx.scheduler.schedule(delay, () -> {
            synchronized (group) {
                if (group.dead || group.state != GroupState.PREPARING_REBALANCE || group.rebalanceToken != token) {
                    return;
                }
                if (group.newMemberAdded && remaining > 0) {
                    group.newMemberAdded = false;
                    long next = Math.min(ctx.config.initialRebalanceDelayMs(), remaining);
                    scheduleInitialDelay(group, token, next, remaining - next);
                } else {
                    group.initialDelayActive = false;
                    completeJoin(group);
                }
            }
        });
    }

    void maybeCompleteJoin(ClassicGroup group) {
        if (group.state == GroupState.PREPARING_REBALANCE && !group.initialDelayActive && group.allMembersJoined()) {
            completeJoin(group);
        }
    }

    /** Ends the join phase: members that did not rejoin are dropped, a new generation starts. */
    private void completeJoin(ClassicGroup group) {
        for (Iterator<ClassicMember> it = group.members.values().iterator(); it.hasNext(); ) {
            ClassicMember member = it.next();
            if (member.awaitingJoin == null) {
                it.remove();
                if (member.groupInstanceId != null) {
                    group.staticMembers.remove(member.groupInstanceId, member.memberId);
                }
                LOG.info("member {} of group {} removed: it did not rejoin in time", member.memberId, group.groupId);
            }
        }
        group.rebalanceToken++;
        group.initialDelayActive = false;
        group.generationId++;
        if (group.members.isEmpty()) {
            group.state = GroupState.EMPTY;
            group.protocolName = null;
            group.leaderId = null;
            group.emptySinceMs = ctx.now();
            ctx.persistMetadata(group);
            return;
        }
        group.protocolName = group.selectProtocol();
        if (group.leaderId == null || !group.members.containsKey(group.leaderId)) {
            group.leaderId = group.members.keySet().iterator().next();
        }
        group.state = GroupState.COMPLETING_REBALANCE;
        long now = ctx.now();
        for (ClassicMember member : group.members.values()) {
            member.lastHeartbeatMs = now;
            member.assignment = ClassicMember.emptyAssignment();
            member.completeJoin(currentGeneration(group, member, false));
        }
        ctx.persistMetadata(group);
        LOG.info("group {} generation {} with {} members, protocol {}", group.groupId, group.generationId,
                group.members.size(), group.protocolName);
        long token = group.rebalanceToken;
        ctx.scheduler.schedule(group.maxRebalanceTimeoutMs(), () -> {
            synchronized (group) {
                if (!group.dead && group.state == GroupState.COMPLETING_REBALANCE && group.rebalanceToken == token) {
                    group.members.values().removeIf(m -> {
                        boolean drop = m.awaitingSync == null;
                        if (drop && m.groupInstanceId != null) {
                            group.staticMembers.remove(m.groupInstanceId, m.memberId);
                        }
                        return drop;
                    });
                    prepareRebalance(group, "members did not sync in time");
                }
            }
        });
    }

    JoinGroupResult currentGeneration(ClassicGroup group, ClassicMember member, boolean skipAssignment) {
        boolean leader = member.memberId.equals(group.leaderId);
        List<JoinGroupResult.JoinedMember> members = List.of();
        if (leader) {
            members = new ArrayList<>(group.members.size());
            for (ClassicMember each : group.members.values()) {
                members.add(new JoinGroupResult.JoinedMember(each.memberId, each.groupInstanceId,
                        each.metadata(group.protocolName)));
            }
        }
        return new JoinGroupResult(GroupError.NONE, group.generationId, group.protocolType, group.protocolName,
                group.leaderId, member.memberId, skipAssignment, members);
    }

    /** Checks the member's session at its deadline; a member waiting in a rebalance phase stays alive. */
    void scheduleSessionCheck(ClassicGroup group, ClassicMember member, long delayMs) {
        ctx.scheduler.schedule(delayMs, () -> {
            synchronized (group) {
                if (group.dead || group.members.get(member.memberId) != member) {
                    return;
                }
                long now = ctx.now();
                if (member.awaitingJoin != null || member.awaitingSync != null) {
                    member.lastHeartbeatMs = now;
                }
                long deadline = member.lastHeartbeatMs + member.sessionTimeoutMs;
                if (now < deadline) {
                    scheduleSessionCheck(group, member, deadline - now);
                    return;
                }
                LOG.info("member {} of group {} expired after {} ms without heartbeat", member.memberId,
                        group.groupId, member.sessionTimeoutMs);
                removeMember(group, member);
                membersChanged(group, "member " + member.memberId + " session expired");
            }
        });
    }

    void schedulePendingExpiry(ClassicGroup group, String memberId, long delayMs) {
        ctx.scheduler.schedule(delayMs, () -> {
            synchronized (group) {
                if (!group.dead && group.pendingMembers.remove(memberId)) {
                    membersChanged(group, "pending member " + memberId + " never joined");
                }
            }
        });
    }
}
