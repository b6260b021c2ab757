package io.tributary.delivery.group;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The classic protocol's requests: join, sync, heartbeat and leave, validated and applied to the
 * group; the rebalance itself (phases, timers, sessions) is {@link ClassicRebalance}'s. Every method
 * runs under the monitor of the group it changes.
 */
final class ClassicGroupCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupCoordinator.class);

    private final GroupContext ctx;
    private final ClassicRebalance rebalance;

    ClassicGroupCoordinator(GroupContext ctx) {
        this.ctx = ctx;
        this.rebalance = new ClassicRebalance(ctx);
    }

    CompletableFuture<JoinGroupResult> join(JoinGroupRequest request) {
        CompletableFuture<JoinGroupResult> future = new CompletableFuture<>();
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            future.complete(JoinGroupResult.failure(GroupError.INVALID_GROUP_ID, memberId));
        } else if (request.sessionTimeoutMs() < ctx.config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > ctx.config.maxSessionTimeoutMs()) {
            future.complete(JoinGroupResult.failure(GroupError.INVALID_SESSION_TIMEOUT, memberId));
        } else if (memberId.isEmpty()) {
            ctx.registry.withGroupOrCreate(request.groupId(), id -> new ClassicGroup(id, ctx.now()), group -> {
                ClassicGroup classic = asClassic(group);
                if (classic == null) {
                    future.complete(JoinGroupResult.failure(GroupError.INCONSISTENT_GROUP_PROTOCOL, memberId));
                } else if (classic != group) {
                    synchronized (classic) {
                        joinNewMember(classic, request, future);
                    }
                } else {
                    joinNewMember(classic, request, future);
                }
                return null;
            });
        } else {
            ctx.registry.withGroup(request.groupId(), group -> {
                if (!(group instanceof ClassicGroup classic)) {
                    future.complete(JoinGroupResult.failure(GroupError.UNKNOWN_MEMBER_ID, memberId));
                } else {
                    joinKnownMember(classic, request, future);
                }
                return null;
            });
        }
        return future;
    }

    /** The group as a classic group, converting an empty consumer group; null if that is impossible. */
    private ClassicGroup asClassic(Group group) {
        if (group instanceof ClassicGroup classic) {
            return classic;
        }
        if (group.hasMembers()) {
            return null;
        }
        ClassicGroup replacement = new ClassicGroup(group.groupId, ctx.now());
        ctx.registry.replace(group, replacement);
        LOG.info("group {} converted from consumer to classic protocol", group.groupId);
        return replacement;
    }

    private void joinNewMember(ClassicGroup group, JoinGroupRequest request, CompletableFuture<JoinGroupResult> future) {
        if (!group.acceptsProtocols(request.protocolType(), request.protocols())) {
            future.complete(JoinGroupResult.failure(GroupError.INCONSISTENT_GROUP_PROTOCOL, ""));
            return;
        }
        String instanceId = request.groupInstanceId();
        if (instanceId != null && group.staticMembers.containsKey(instanceId)) {
            replaceStaticMember(group, group.members.get(group.staticMembers.get(instanceId)), request, future);
            return;
        }
        if (group.members.size() + group.pendingMembers.size() >= ctx.config.maxGroupSize()) {
            future.complete(JoinGroupResult.failure(GroupError.GROUP_MAX_SIZE_REACHED, ""));
            return;
        }
        String memberId = GroupContext.newClassicMemberId(request.clientId());
        if (instanceId == null && request.requireKnownMemberId()) {
            group.pendingMembers.add(memberId);
            rebalance.schedulePendingExpiry(group, memberId, request.sessionTimeoutMs());
            future.complete(JoinGroupResult.failure(GroupError.MEMBER_ID_REQUIRED, memberId));
            return;
        }
        addMember(group, memberId, request, future);
    }

    private void joinKnownMember(ClassicGroup group, JoinGroupRequest request, CompletableFuture<JoinGroupResult> future) {
        String memberId = request.memberId();
        if (!group.acceptsProtocols(request.protocolType(), request.protocols())) {
            future.complete(JoinGroupResult.failure(GroupError.INCONSISTENT_GROUP_PROTOCOL, memberId));
            return;
        }
        if (group.pendingMembers.contains(memberId)) {
            addMember(group, memberId, request, future);
            return;
        }
        GroupError error = group.validateMember(memberId, request.groupInstanceId());
        if (error != GroupError.NONE) {
            future.complete(JoinGroupResult.failure(error, memberId));
            return;
        }
        ClassicMember member = group.members.get(memberId);
        switch (group.state) {
            case PREPARING_REBALANCE -> {
                member.update(request, ctx.now());
                member.completeJoin(JoinGroupResult.failure(GroupError.REBALANCE_IN_PROGRESS, memberId));
                member.awaitingJoin = future;
                rebalance.maybeCompleteJoin(group);
            }
            case COMPLETING_REBALANCE, STABLE -> {
                boolean unchanged = member.sameProtocols(request.protocols());
                boolean leaderInStable = group.state == GroupState.STABLE && memberId.equals(group.leaderId);
                if (unchanged && !leaderInStable) {
                    member.lastHeartbeatMs = ctx.now();
                    future.complete(rebalance.currentGeneration(group, member, false));
                } else {
                    member.update(request, ctx.now());
                    member.awaitingJoin = future;
                    rebalance.prepareRebalance(group, "member " + memberId + " rejoined");
                }
            }
            default -> future.complete(JoinGroupResult.failure(GroupError.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    private void addMember(ClassicGroup group, String memberId, JoinGroupRequest request,
                           CompletableFuture<JoinGroupResult> future) {
        ClassicMember member = new ClassicMember(memberId, request, ctx.now());
        member.awaitingJoin = future;
        group.pendingMembers.remove(memberId);
        if (group.members.isEmpty()) {
            group.protocolType = request.protocolType();
        }
        group.members.put(memberId, member);
        group.newMemberAdded = true;
        if (member.groupInstanceId != null) {
            group.staticMembers.put(member.groupInstanceId, memberId);
        }
        rebalance.scheduleSessionCheck(group, member, member.sessionTimeoutMs);
        if (group.state == GroupState.PREPARING_REBALANCE) {
            rebalance.maybeCompleteJoin(group);
        } else {
            rebalance.prepareRebalance(group, "member " + memberId + " joined");
        }
    }

    /**
     * A static member rejoined without its member id (e.g. after a restart): it takes over the old
     * member's place under a new id, and the old id is fenced. Without a metadata change, a stable
     * group keeps its generation and assignment: no rebalance.
     */
    private void replaceStaticMember(ClassicGroup group, ClassicMember old, JoinGroupRequest request,
                                     CompletableFuture<JoinGroupResult> future) {
        String newId = GroupContext.newClassicMemberId(request.clientId());
        ClassicMember replacement = new ClassicMember(newId, old, request, ctx.now());
        old.completeJoin(JoinGroupResult.failure(GroupError.FENCED_INSTANCE_ID, old.memberId));
        old.completeSync(SyncGroupResult.failure(GroupError.FENCED_INSTANCE_ID));
        group.members.remove(old.memberId);
        group.members.put(newId, replacement);
        group.staticMembers.put(replacement.groupInstanceId, newId);
        boolean wasLeader = old.memberId.equals(group.leaderId);
        if (wasLeader) {
            group.leaderId = newId;
        }
        rebalance.scheduleSessionCheck(group, replacement, replacement.sessionTimeoutMs);
        boolean unchanged = old.sameProtocols(request.protocols());
        if (group.state == GroupState.PREPARING_REBALANCE) {
            replacement.awaitingJoin = future;
            rebalance.maybeCompleteJoin(group);
        } else if (unchanged && group.state == GroupState.STABLE) {
            LOG.info("static member {} of group {} replaced {} without a rebalance",
                    replacement.groupInstanceId, group.groupId, old.memberId);
            future.complete(rebalance.currentGeneration(group, replacement, wasLeader));
        } else {
            replacement.awaitingJoin = future;
            rebalance.prepareRebalance(group, "static member " + replacement.groupInstanceId + " rejoined with new metadata");
        }
    }

    CompletableFuture<SyncGroupResult> sync(SyncGroupRequest request) {
        CompletableFuture<SyncGroupResult> future = new CompletableFuture<>();
        ctx.registry.withGroup(request.groupId(), group -> {
            if (!(group instanceof ClassicGroup classic)) {
                future.complete(SyncGroupResult.failure(GroupError.UNKNOWN_MEMBER_ID));
            } else {
                sync(classic, request, future);
            }
            return null;
        });
        return future;
    }

    private void sync(ClassicGroup group, SyncGroupRequest request, CompletableFuture<SyncGroupResult> future) {
        GroupError error = group.validateMember(request.memberId(), request.groupInstanceId());
        if (error == GroupError.NONE && request.generationId() != group.generationId) {
            error = GroupError.ILLEGAL_GENERATION;
        }
        if (error == GroupError.NONE && ((request.protocolType() != null && !request.protocolType().equals(group.protocolType))
                || (request.protocolName() != null && !request.protocolName().equals(group.protocolName)))) {
            error = GroupError.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error != GroupError.NONE) {
            future.complete(SyncGroupResult.failure(error));
            return;
        }
        ClassicMember member = group.members.get(request.memberId());
        member.lastHeartbeatMs = ctx.now();
        switch (group.state) {
            case PREPARING_REBALANCE -> future.complete(SyncGroupResult.failure(GroupError.REBALANCE_IN_PROGRESS));
            case STABLE -> future.complete(assignmentOf(group, member));
            case COMPLETING_REBALANCE -> {
                member.completeSync(SyncGroupResult.failure(GroupError.REBALANCE_IN_PROGRESS));
                member.awaitingSync = future;
                if (member.memberId.equals(group.leaderId)) {
                    for (ClassicMember each : group.members.values()) {
                        byte[] assignment = request.assignments().get(each.memberId);
                        each.assignment = assignment == null ? ClassicMember.emptyAssignment() : assignment;
                    }
                    group.state = GroupState.STABLE;
                    group.rebalanceToken++;
                    for (ClassicMember each : group.members.values()) {
                        each.completeSync(assignmentOf(group, each));
                    }
                }
            }
            default -> future.complete(SyncGroupResult.failure(GroupError.UNKNOWN_MEMBER_ID));
        }
    }

    GroupError heartbeat(HeartbeatRequest request) {
        return ctx.registry.withGroup(request.groupId(), group -> {
            if (!(group instanceof ClassicGroup classic)) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            GroupError error = classic.validateMember(request.memberId(), request.groupInstanceId());
            if (error != GroupError.NONE) {
                return error;
            }
            if (classic.state == GroupState.EMPTY) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (request.generationId() != classic.generationId) {
                return GroupError.ILLEGAL_GENERATION;
            }
            classic.members.get(request.memberId()).lastHeartbeatMs = ctx.now();
            return classic.state == GroupState.PREPARING_REBALANCE ? GroupError.REBALANCE_IN_PROGRESS : GroupError.NONE;
        });
    }

    LeaveGroupResult leave(String groupId, List<LeaveGroupResult.LeavingMember> leaving) {
        return ctx.registry.withGroup(groupId, group -> {
            List<GroupError> errors = new ArrayList<>(leaving.size());
            if (!(group instanceof ClassicGroup classic)) {
                leaving.forEach(m -> errors.add(GroupError.UNKNOWN_MEMBER_ID));
                return new LeaveGroupResult(GroupError.NONE, errors);
            }
            boolean changed = false;
            for (LeaveGroupResult.LeavingMember each : leaving) {
                GroupError error = leaveOne(classic, each);
                changed |= error == GroupError.NONE;
                errors.add(error);
            }
            if (changed) {
                rebalance.membersChanged(classic, "members left");
            }
            return new LeaveGroupResult(GroupError.NONE, errors);
        });
    }

    private GroupError leaveOne(ClassicGroup group, LeaveGroupResult.LeavingMember leaving) {
        String memberId = leaving.memberId() == null ? "" : leaving.memberId();
        if (leaving.groupInstanceId() != null) {
            String holder = group.staticMembers.get(leaving.groupInstanceId());
            if (holder == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(holder)) {
                return GroupError.FENCED_INSTANCE_ID;
            }
            rebalance.removeMember(group, group.members.get(holder));
            return GroupError.NONE;
        }
        if (group.pendingMembers.remove(memberId)) {
            return GroupError.NONE;
        }
        ClassicMember member = group.members.get(memberId);
        if (member == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        rebalance.removeMember(group, member);
        return GroupError.NONE;
    }

    private static SyncGroupResult assignmentOf(ClassicGroup group, ClassicMember member) {
        return new SyncGroupResult(GroupError.NONE, group.protocolType, group.protocolName, member.assignment);
    }

}
