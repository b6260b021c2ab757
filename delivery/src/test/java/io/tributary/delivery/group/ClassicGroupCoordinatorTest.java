package io.tributary.delivery.group;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ClassicGroupCoordinatorTest {
    private static final String GROUP = "g";
    private static final int SESSION = 10_000;
    private static final int REBALANCE = 20_000;

    private final ManualScheduler scheduler = new ManualScheduler();
    private GroupCoordinator coordinator;

    private void start(GroupConfig config) throws Exception {
        coordinator = GroupCoordinator.start(config, scheduler, GroupStore.inMemory(), new FakeTopics());
    }

    private void start() throws Exception {
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private static List<ClassicProtocol> protocols(String... names) {
        return java.util.Arrays.stream(names)
                .map(n -> new ClassicProtocol(n, ("meta-" + n).getBytes(StandardCharsets.UTF_8))).toList();
    }

    private CompletableFuture<JoinGroupResult> join(String memberId, String instanceId, List<ClassicProtocol> protocols) {
        return coordinator.joinGroup(new JoinGroupRequest(GROUP, memberId, instanceId, "consumer", protocols,
                SESSION, REBALANCE, "client", "/127.0.0.1", true));
    }

    /** A dynamic member's two-step first join (MEMBER_ID_REQUIRED, then join with the id). */
    private CompletableFuture<JoinGroupResult> newMember(List<ClassicProtocol> protocols) {
        JoinGroupResult first = join("", null, protocols).join();
        assertThat(first.error()).isEqualTo(GroupError.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("client-");
        return join(first.memberId(), null, protocols);
    }

    private CompletableFuture<SyncGroupResult> sync(JoinGroupResult joined, Map<String, byte[]> assignments) {
        return coordinator.syncGroup(new SyncGroupRequest(GROUP, joined.memberId(), null, joined.generationId(),
                "consumer", joined.protocolName(), assignments));
    }

    private GroupError heartbeat(String memberId, int generation) {
        return coordinator.heartbeat(new HeartbeatRequest(GROUP, memberId, null, generation));
    }

    /** Forms a stable group of {@code count} dynamic members; returns their join results, leader first. */
    private List<JoinGroupResult> stableGroup(int count) throws Exception {
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(3000));
        List<CompletableFuture<JoinGroupResult>> joins = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            joins.add(newMember(protocols("range")));
        }
        scheduler.advance(6000);
        List<JoinGroupResult> results = joins.stream().map(CompletableFuture::join).toList();
        JoinGroupResult leader = results.stream().filter(r -> r.memberId().equals(r.leaderId())).findFirst().orElseThrow();
        Map<String, byte[]> assignments = new HashMap<>();
        results.forEach(r -> assignments.put(r.memberId(), r.memberId().getBytes(StandardCharsets.UTF_8)));
        List<CompletableFuture<SyncGroupResult>> syncs = results.stream().filter(r -> r != leader)
                .map(r -> sync(r, Map.of())).toList();
        sync(leader, assignments).join();
        syncs.forEach(CompletableFuture::join);
        List<JoinGroupResult> ordered = new java.util.ArrayList<>(results);
        ordered.remove(leader);
        ordered.add(0, leader);
        return ordered;
    }

    private GroupState state() {
        return coordinator.describeClassicGroup(GROUP).state();
    }

    @Test
    void threeMembersJoinThenTheLeadersAssignmentReachesEveryone() throws Exception {
        // Given three members joining during the initial rebalance delay
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(3000));
        List<CompletableFuture<JoinGroupResult>> joins = List.of(newMember(protocols("range")),
                newMember(protocols("range")), newMember(protocols("range")));
        assertThat(joins).noneMatch(CompletableFuture::isDone);

        // When the delay ends (extended once, since members kept arriving) and the leader syncs after the followers
        scheduler.advance(3000);
        assertThat(joins).noneMatch(CompletableFuture::isDone);
        scheduler.advance(3000);
        List<JoinGroupResult> results = joins.stream().map(CompletableFuture::join).toList();
        JoinGroupResult leader = results.stream().filter(r -> r.memberId().equals(r.leaderId())).findFirst().orElseThrow();
        List<JoinGroupResult> followers = results.stream().filter(r -> r != leader).toList();
        List<CompletableFuture<SyncGroupResult>> followerSyncs = followers.stream().map(f -> sync(f, Map.of())).toList();
        assertThat(followerSyncs).noneMatch(CompletableFuture::isDone);
        Map<String, byte[]> assignments = new HashMap<>();
        results.forEach(r -> assignments.put(r.memberId(), ("for " + r.memberId()).getBytes(StandardCharsets.UTF_8)));
        SyncGroupResult leaderSync = sync(leader, assignments).join();

        // Then one generation, the leader saw all members, and each member got its own assignment
        assertThat(results).allMatch(r -> r.error() == GroupError.NONE && r.generationId() == 1
                && "range".equals(r.protocolName()));
        assertThat(leader.members()).hasSize(3);
        assertThat(followers).allMatch(f -> f.members().isEmpty());
        assertThat(new String(leaderSync.assignment(), StandardCharsets.UTF_8)).isEqualTo("for " + leader.memberId());
        for (int i = 0; i < followers.size(); i++) {
            assertThat(new String(followerSyncs.get(i).join().assignment(), StandardCharsets.UTF_8))
                    .isEqualTo("for " + followers.get(i).memberId());
        }
        assertThat(state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void aNewMemberTriggersARebalanceThatTheOthersJoin() throws Exception {
        // Given a stable group of two
        List<JoinGroupResult> members = stableGroup(2);

        // When a third member joins and the others rejoin after seeing REBALANCE_IN_PROGRESS
        CompletableFuture<JoinGroupResult> third = newMember(protocols("range"));
        assertThat(heartbeat(members.get(0).memberId(), 1)).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
        CompletableFuture<JoinGroupResult> first = join(members.get(0).memberId(), null, protocols("range"));
        assertThat(third).isNotDone();
        CompletableFuture<JoinGroupResult> second = join(members.get(1).memberId(), null, protocols("range"));

        // Then generation 2 completes with all three and the old leader stays leader
        assertThat(List.of(first.join(), second.join(), third.join()))
                .allMatch(r -> r.error() == GroupError.NONE && r.generationId() == 2);
        assertThat(first.join().members()).hasSize(3);
        assertThat(state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
    }

    @Test
    void membersThatDoNotRejoinWithinTheRebalanceTimeoutAreRemoved() throws Exception {
        // Given a stable group of two and a third member joining
        List<JoinGroupResult> members = stableGroup(2);
        CompletableFuture<JoinGroupResult> third = newMember(protocols("range"));
        CompletableFuture<JoinGroupResult> first = join(members.get(0).memberId(), null, protocols("range"));

        // When the second member never rejoins and the rebalance timeout passes
        scheduler.advance(REBALANCE);

        // Then the generation completes without it
        assertThat(first.join().members()).extracting(JoinGroupResult.JoinedMember::memberId)
                .containsExactlyInAnyOrder(members.get(0).memberId(), third.join().memberId());
        assertThat(heartbeat(members.get(1).memberId(), 2)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatStopsHeartbeatingIsEvictedAndTheGroupRebalances() throws Exception {
        // Given a stable group of two
        List<JoinGroupResult> members = stableGroup(2);
        String alive = members.get(0).memberId();

        // When only one member keeps heartbeating past the session timeout
        for (int i = 0; i < 4; i++) {
            scheduler.advance(3000);
            assertThat(heartbeat(alive, 1)).isEqualTo(i < 3 ? GroupError.NONE : GroupError.REBALANCE_IN_PROGRESS);
        }

        // Then the silent member is gone and the survivor forms generation 2 alone
        assertThat(heartbeat(members.get(1).memberId(), 1)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        JoinGroupResult rejoined = join(alive, null, protocols("range")).join();
        assertThat(rejoined.generationId()).isEqualTo(2);
        assertThat(rejoined.members()).hasSize(1);
    }

    @Test
    void leavingRebalancesAndTheLastLeaveEmptiesTheGroup() throws Exception {
        // Given a stable group of two
        List<JoinGroupResult> members = stableGroup(2);

        // When one leaves, the other rejoins, then leaves too
        LeaveGroupResult left = coordinator.leaveGroup(GROUP,
                List.of(new LeaveGroupResult.LeavingMember(members.get(1).memberId(), null),
                        new LeaveGroupResult.LeavingMember("nobody", null)));
        GroupState afterFirstLeave = state();
        JoinGroupResult rejoined = join(members.get(0).memberId(), null, protocols("range")).join();
        coordinator.leaveGroup(GROUP, List.of(new LeaveGroupResult.LeavingMember(members.get(0).memberId(), null)));

        // Then
        assertThat(left.memberErrors()).containsExactly(GroupError.NONE, GroupError.UNKNOWN_MEMBER_ID);
        assertThat(afterFirstLeave).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(rejoined.generationId()).isEqualTo(2);
        assertThat(state()).isEqualTo(GroupState.EMPTY);
    }

    @Test
    void aStaticMemberRejoiningWithTheSameMetadataReplacesItsOldIdWithoutARebalance() throws Exception {
        // Given a stable group of two static members
        start();
        JoinGroupResult a = join("", "instance-a", protocols("range")).join();
        Map<String, byte[]> assignment = Map.of(a.memberId(), "A".getBytes(StandardCharsets.UTF_8));
        sync(a, assignment).join();
        CompletableFuture<JoinGroupResult> b = join("", "instance-b", protocols("range"));
        JoinGroupResult aAgain = join(a.memberId(), "instance-a", protocols("range")).join();
        sync(aAgain, Map.of(aAgain.memberId(), "A".getBytes(StandardCharsets.UTF_8),
                b.join().memberId(), "B".getBytes(StandardCharsets.UTF_8))).join();
        sync(b.join(), Map.of()).join();
        assertThat(state()).isEqualTo(GroupState.STABLE);

        // When instance-b restarts and joins without a member id
        JoinGroupResult restarted = join("", "instance-b", protocols("range")).join();

        // Then it gets a new id in the same generation, keeps its assignment, and the old id is fenced
        assertThat(restarted.error()).isEqualTo(GroupError.NONE);
        assertThat(restarted.memberId()).isNotEqualTo(b.join().memberId());
        assertThat(restarted.generationId()).isEqualTo(aAgain.generationId());
        assertThat(state()).isEqualTo(GroupState.STABLE);
        assertThat(new String(coordinator.syncGroup(new SyncGroupRequest(GROUP, restarted.memberId(), "instance-b",
                restarted.generationId(), null, null, Map.of())).join().assignment(), StandardCharsets.UTF_8)).isEqualTo("B");
        assertThat(coordinator.heartbeat(new HeartbeatRequest(GROUP, b.join().memberId(), "instance-b",
                restarted.generationId()))).isEqualTo(GroupError.FENCED_INSTANCE_ID);
    }

    @Test
    void staleGenerationsAndUnknownMembersAreRejected() throws Exception {
        // Given a stable group in generation 1
        List<JoinGroupResult> members = stableGroup(2);
        String member = members.get(1).memberId();

        // When / Then
        assertThat(heartbeat(member, 0)).isEqualTo(GroupError.ILLEGAL_GENERATION);
        assertThat(heartbeat("unknown", 1)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.syncGroup(new SyncGroupRequest(GROUP, member, null, 7, null, null, Map.of())).join().error())
                .isEqualTo(GroupError.ILLEGAL_GENERATION);
        assertThat(join("unknown", null, protocols("range")).join().error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.syncGroup(new SyncGroupRequest("other", member, null, 1, null, null, Map.of())).join().error())
                .isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void joinsAreValidated() throws Exception {
        // Given a stable group speaking consumer/range
        stableGroup(1);

        // When / Then
        assertThat(coordinator.joinGroup(new JoinGroupRequest(GROUP, "", null, "consumer", protocols("range"),
                1000, REBALANCE, "c", "h", true)).join().error()).isEqualTo(GroupError.INVALID_SESSION_TIMEOUT);
        assertThat(join("", null, protocols("roundrobin")).join().error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(coordinator.joinGroup(new JoinGroupRequest(GROUP, "", null, "connect", protocols("range"),
                SESSION, REBALANCE, "c", "h", true)).join().error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
    }

    /** Found by tributary-perf fuzz: a first member without protocols made a group whose leader got null metadata. */
    @Test
    void aFirstJoinWithoutProtocolsOrProtocolTypeIsRefused() throws Exception {
        start();

        assertThat(coordinator.joinGroup(new JoinGroupRequest(GROUP, "", null, "consumer", List.of(),
                SESSION, REBALANCE, "c", "h", false)).join().error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(coordinator.joinGroup(new JoinGroupRequest(GROUP, "", null, "", protocols("range"),
                SESSION, REBALANCE, "c", "h", false)).join().error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void theProtocolWithTheMostFirstChoiceVotesAmongCommonOnesWins() throws Exception {
        // Given members preferring different protocols
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(3000));
        CompletableFuture<JoinGroupResult> one = newMember(protocols("range", "roundrobin", "sticky"));
        CompletableFuture<JoinGroupResult> two = newMember(protocols("roundrobin", "range"));
        CompletableFuture<JoinGroupResult> three = newMember(protocols("sticky", "roundrobin", "range"));

        // When the join phase ends
        scheduler.advance(6000);

        // Then sticky (not common) is out, and roundrobin wins 2 votes to 1
        assertThat(List.of(one.join(), two.join(), three.join())).allMatch(r -> "roundrobin".equals(r.protocolName()));
    }

    @Test
    void oldClientsWithoutMemberIdRequiredJoinInOneStep() throws Exception {
        // Given a client speaking JoinGroup v3
        start();

        // When it joins without a member id
        JoinGroupResult joined = coordinator.joinGroup(new JoinGroupRequest(GROUP, "", null, "consumer",
                protocols("range"), SESSION, REBALANCE, "old", "h", false)).join();

        // Then it is a member right away
        assertThat(joined.error()).isEqualTo(GroupError.NONE);
        assertThat(joined.leaderId()).isEqualTo(joined.memberId());
    }

    @Test
    void aLoneFirstMemberWaitsOnlyTheInitialDelay() throws Exception {
        // Given an empty group with a 3 s initial delay (Kafka's built-in default)
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(3000));

        // When one member joins and nobody else arrives
        CompletableFuture<JoinGroupResult> joined = newMember(protocols("range"));
        scheduler.advance(2999);
        boolean doneEarly = joined.isDone();
        scheduler.advance(1);

        // Then the generation forms after exactly the delay
        assertThat(doneEarly).isFalse();
        assertThat(joined.join().generationId()).isEqualTo(1);
    }
}
