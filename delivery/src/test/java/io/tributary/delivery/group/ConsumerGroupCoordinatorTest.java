package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ConsumerGroupCoordinatorTest {
    private static final String GROUP = "cg";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeTopics topics = new FakeTopics();
    private GroupCoordinator coordinator;

    private void start() throws Exception {
        coordinator = GroupCoordinator.start(GroupConfig.defaults(), scheduler, GroupStore.inMemory(), topics);
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    /** A well-behaved client: reports what it owns, and adopts each assignment it is sent at once. */
    private final class Client {
        String memberId;
        int epoch;
        final List<String> subscription;
        final String assignor;
        Set<TopicPartition> owned = new TreeSet<>();
        ConsumerHeartbeatResult last;

        Client(String memberId, String assignor, String... subscription) {
            this.memberId = memberId;
            this.assignor = assignor;
            this.subscription = List.of(subscription);
        }

        ConsumerHeartbeatResult heartbeat() {
            last = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP, memberId, epoch, null, null,
                    30_000, epoch == 0 ? subscription : null, null, epoch == 0 ? assignor : null,
                    List.copyOf(owned), "client", "/127.0.0.1"));
            if (last.error() == GroupError.NONE) {
                memberId = last.memberId();
                epoch = last.memberEpoch();
                owned = new TreeSet<>(last.assignment());
            }
            return last;
        }

        void leave() {
            coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP, memberId, -1, null, null, 30_000,
                    null, null, null, null, "client", "/127.0.0.1"));
        }
    }

    private void converge(List<Client> clients) {
        for (int round = 0; round < 20; round++) {
            for (Client client : clients) {
                assertThat(client.heartbeat().error()).isEqualTo(GroupError.NONE);
            }
            if (coordinator.describeConsumerGroup(GROUP).state() == GroupState.STABLE) {
                return;
            }
        }
        throw new AssertionError("group did not converge: " + coordinator.describeConsumerGroup(GROUP));
    }

    private static void assertPartitionedExactly(List<Client> clients, Set<TopicPartition> all) {
        Set<TopicPartition> seen = new HashSet<>();
        for (Client client : clients) {
            for (TopicPartition tp : client.owned) {
                assertThat(seen.add(tp)).as("%s owned twice", tp).isTrue();
            }
        }
        assertThat(seen).isEqualTo(all);
    }

    private static Set<TopicPartition> partitions(String topic, int count) {
        Set<TopicPartition> set = new TreeSet<>();
        for (int p = 0; p < count; p++) {
            set.add(new TopicPartition(topic, p));
        }
        return set;
    }

    @Test
    void aMemberCommitsOnlyInAFormThatCarriesItsEpoch() throws Exception {
        // Given a stable member owning the one partition
        topics.with("t", 1);
        start();
        Client member = new Client("", "uniform", "t");
        converge(List.of(member));
        TopicPartition tp = new TopicPartition("t", 0);
        List<OffsetCommitRequest.PartitionOffset> offsets = List.of(new OffsetCommitRequest.PartitionOffset(tp, 4, -1, ""));

        // When it commits at its epoch, once in a form that knows only classic generations and once epoch-aware
        GroupError generationOnly = coordinator.commitOffsets(new OffsetCommitRequest(GROUP, member.memberId, null,
                member.epoch, offsets, OffsetCommitRequest.Sender.GENERATION_ONLY)).join().get(tp);
        GroupError epochAware = coordinator.commitOffsets(new OffsetCommitRequest(GROUP, member.memberId, null,
                member.epoch, offsets, OffsetCommitRequest.Sender.EPOCH_AWARE)).join().get(tp);

        // Then the first is refused as Kafka refuses OffsetCommit below v9 from such a member, the second taken;
        // an unknown member is still UNKNOWN_MEMBER_ID whatever the form
        assertThat(generationOnly).isEqualTo(GroupError.UNSUPPORTED_VERSION);
        assertThat(epochAware).isEqualTo(GroupError.NONE);
        assertThat(coordinator.commitOffsets(new OffsetCommitRequest(GROUP, "stranger", null, member.epoch, offsets,
                OffsetCommitRequest.Sender.GENERATION_ONLY)).join().get(tp)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void uniformSpreadsSeveralTopicsEvenlyAcrossMembers() throws Exception {
        // Given three topics with 3 + 4 + 5 partitions and three members on the uniform assignor
        topics.with("a", 3).with("b", 4).with("c", 5);
        start();
        List<Client> clients = List.of(new Client("", "uniform", "a", "b", "c"),
                new Client("", "uniform", "a", "b", "c"), new Client("", "uniform", "a", "b", "c"));

        // When they heartbeat until the group is stable
        converge(clients);

        // Then every partition has exactly one owner and each member owns four
        Set<TopicPartition> all = new TreeSet<>(partitions("a", 3));
        all.addAll(partitions("b", 4));
        all.addAll(partitions("c", 5));
        assertPartitionedExactly(clients, all);
        assertThat(clients).allMatch(c -> c.owned.size() == 4);
        ConsumerGroupDescription described = coordinator.describeConsumerGroup(GROUP);
        assertThat(clients).allMatch(c -> c.epoch == described.assignmentEpoch());
        assertThat(described.members()).hasSize(3);
    }

    @Test
    void rangeGivesEachMemberTheSameContiguousRangeOfEveryTopic() throws Exception {
        // Given two co-partitioned topics and two members on the range assignor
        topics.with("x", 5).with("y", 5);
        start();
        Client first = new Client("m1", "range", "x", "y");
        Client second = new Client("m2", "range", "x", "y");

        // When they converge
        converge(List.of(first, second));

        // Then m1 has partitions 0-2 of both topics and m2 has 3-4, as Kafka's range assignor gives
        assertThat(first.owned).containsExactlyInAnyOrder(new TopicPartition("x", 0), new TopicPartition("x", 1),
                new TopicPartition("x", 2), new TopicPartition("y", 0), new TopicPartition("y", 1),
                new TopicPartition("y", 2));
        assertThat(second.owned).containsExactlyInAnyOrder(new TopicPartition("x", 3), new TopicPartition("x", 4),
                new TopicPartition("y", 3), new TopicPartition("y", 4));
    }

    @Test
    void aPartitionGoesToItsNewOwnerOnlyAfterThePreviousOwnerRevokedIt() throws Exception {
        // Given one member owning all four partitions
        topics.with("t", 4);
        start();
        Client a = new Client("", "uniform", "t");
        converge(List.of(a));
        assertThat(a.owned).hasSize(4);
        int epochBefore = a.epoch;

        // When a second member joins, and the first has not yet heartbeated
        Client b = new Client("", "uniform", "t");
        b.heartbeat();
        Set<TopicPartition> bBeforeRevocation = Set.copyOf(b.owned);
        a.heartbeat();
        int aEpochWhileRevoking = a.epoch;
        Set<TopicPartition> bTarget = Set.copyOf(
                coordinator.describeConsumerGroup(GROUP).members().stream()
                        .filter(m -> m.memberId().equals(b.memberId)).findFirst().orElseThrow().targetAssignment());
        ConsumerHeartbeatResult bWhileARevokes = b.heartbeat();
        a.heartbeat();
        b.heartbeat();

        // Then b got nothing until a confirmed the revocation, and a kept its epoch while revoking
        assertThat(bBeforeRevocation).isEmpty();
        assertThat(aEpochWhileRevoking).isEqualTo(epochBefore);
        assertThat(bWhileARevokes.assignment()).isEmpty();
        assertThat(bTarget).hasSize(2);
        assertThat(b.owned).isEqualTo(bTarget);
        assertThat(a.epoch).isGreaterThan(epochBefore);
        assertPartitionedExactly(List.of(a, b), partitions("t", 4));
    }

    @Test
    void whenAMemberLeavesTheOthersTakeOverItsPartitions() throws Exception {
        // Given two members sharing six partitions
        topics.with("t", 6);
        start();
        Client a = new Client("", "uniform", "t");
        Client b = new Client("", "uniform", "t");
        converge(List.of(a, b));

        // When b leaves
        b.leave();
        converge(List.of(a));

        // Then a owns everything
        assertThat(a.owned).isEqualTo(partitions("t", 6));
    }

    @Test
    void aSilentMemberIsRemovedAfterTheSessionTimeout() throws Exception {
        // Given two members
        topics.with("t", 2);
        start();
        Client a = new Client("", "uniform", "t");
        Client b = new Client("", "uniform", "t");
        converge(List.of(a, b));

        // When only a heartbeats for longer than the 45 s session timeout
        for (int i = 0; i < 10; i++) {
            scheduler.advance(5_000);
            a.heartbeat();
        }

        // Then b is gone and a owns both partitions
        assertThat(b.heartbeat().error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(a.owned).isEqualTo(partitions("t", 2));
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsRemoved() throws Exception {
        // Given a owns both partitions and b joins
        topics.with("t", 2);
        start();
        Client a = new Client("", "uniform", "t");
        converge(List.of(a));
        Client b = new Client("", "uniform", "t");
        b.heartbeat();

        // When a is told to revoke but keeps reporting it owns both, past its 30 s rebalance timeout
        Set<TopicPartition> stubborn = Set.copyOf(a.owned);
        for (int i = 0; i < 7; i++) {
            a.owned = new TreeSet<>(stubborn);
            a.heartbeat();
            scheduler.advance(5_000);
            b.heartbeat();
        }

        // Then a was fenced out and b owns both partitions
        assertThat(a.heartbeat().error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(b.owned).isEqualTo(partitions("t", 2));
    }

    @Test
    void wrongEpochsUnknownMembersAndUnknownAssignorsAreRejected() throws Exception {
        // Given a stable member
        topics.with("t", 1);
        start();
        Client a = new Client("", "uniform", "t");
        converge(List.of(a));

        // When / Then
        ConsumerHeartbeatResult fenced = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP,
                a.memberId, a.epoch + 5, null, null, 30_000, null, null, null, List.of(), null, null));
        assertThat(fenced.error()).isEqualTo(GroupError.FENCED_MEMBER_EPOCH);
        ConsumerHeartbeatResult unknown = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP,
                "ghost", 3, null, null, 30_000, null, null, null, List.of(), null, null));
        assertThat(unknown.error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        ConsumerHeartbeatResult badAssignor = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP,
                "", 0, null, null, 30_000, List.of("t"), null, "sticky", List.of(), null, null));
        assertThat(badAssignor.error()).isEqualTo(GroupError.UNSUPPORTED_ASSIGNOR);
    }

    @Test
    void newPartitionsOfASubscribedTopicAreAssigned() throws Exception {
        // Given one member on a topic with two partitions
        topics.with("t", 2);
        start();
        Client a = new Client("", "uniform", "t");
        converge(List.of(a));

        // When the topic grows to four partitions
        topics.with("t", 4);
        converge(List.of(a));

        // Then the member owns all four
        assertThat(a.owned).isEqualTo(partitions("t", 4));
    }

    @Test
    void aRegexSubscriptionPicksUpMatchingTopics() throws Exception {
        // Given topics of which two match
        topics.with("orders-eu", 1).with("orders-us", 1).with("payments", 1);
        start();
        Client a = new Client("", "uniform");
        List<Client> clients = new ArrayList<>(List.of(a));

        // When the member subscribes by regex
        ConsumerHeartbeatResult joined = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP, "", 0,
                null, null, 30_000, null, "orders-.*", null, List.of(), null, null));
        a.memberId = joined.memberId();
        a.epoch = joined.memberEpoch();
        converge(clients);

        // Then it owns exactly the matching topics' partitions
        assertThat(a.owned).containsExactlyInAnyOrder(new TopicPartition("orders-eu", 0), new TopicPartition("orders-us", 0));
    }

    @Test
    void aStaticMemberThatLeftTemporarilyGetsItsPartitionsBackWithoutARebalance() throws Exception {
        // Given two static members sharing four partitions
        topics.with("t", 4);
        start();
        Client a = new Client("", "uniform", "t");
        Client b = new Client("", "uniform", "t");
        for (Client c : List.of(a, b)) {
            ConsumerHeartbeatResult joined = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP, "", 0,
                    c == a ? "instance-a" : "instance-b", null, 30_000, List.of("t"), null, null, List.of(), "c", "h"));
            c.memberId = joined.memberId();
            c.epoch = joined.memberEpoch();
        }
        converge(List.of(a, b));
        Set<TopicPartition> bOwned = Set.copyOf(b.owned);
        int groupEpoch = coordinator.describeConsumerGroup(GROUP).groupEpoch();

        // When b leaves with epoch -2 and its restarted process joins under a new member id
        coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP, b.memberId, -2, "instance-b", null,
                30_000, null, null, null, null, "c", "h"));
        ConsumerHeartbeatResult taken = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP,
                "b-restarted", 0, "instance-a", null, 30_000, List.of("t"), null, null, List.of(), "c", "h"));
        ConsumerHeartbeatResult rejoined = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(GROUP,
                "b-restarted", 0, "instance-b", null, 30_000, List.of("t"), null, null, List.of(), "c", "h"));

        // Then the active instance id is refused, and the returning one gets b's partitions in the same group epoch
        assertThat(taken.error()).isEqualTo(GroupError.UNRELEASED_INSTANCE_ID);
        assertThat(rejoined.error()).isEqualTo(GroupError.NONE);
        assertThat(rejoined.assignment()).isEqualTo(bOwned);
        assertThat(rejoined.memberEpoch()).isEqualTo(b.epoch);
        assertThat(coordinator.describeConsumerGroup(GROUP).groupEpoch()).isEqualTo(groupEpoch);
        assertThat(b.heartbeat().error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }
}
