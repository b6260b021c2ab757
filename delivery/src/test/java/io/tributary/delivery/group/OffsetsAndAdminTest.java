package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class OffsetsAndAdminTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final InMemoryGroupStore store = GroupStore.inMemory();
    private final FakeTopics topics = new FakeTopics().with("t", 2);
    private GroupCoordinator coordinator;

    private void start(GroupConfig config) throws Exception {
        coordinator = GroupCoordinator.start(config, scheduler, store, topics);
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private Map<TopicPartition, GroupError> commit(String group, String member, int generation, TopicPartition tp,
                                                   long offset) {
        return coordinator.commitOffsets(new OffsetCommitRequest(group, member, null, generation,
                List.of(new OffsetCommitRequest.PartitionOffset(tp, offset, 3, "meta-" + offset)))).join();
    }

    private JoinGroupResult classicMember(String group) {
        JoinGroupResult joined = coordinator.joinGroup(new JoinGroupRequest(group, "", null, "consumer",
                List.of(new ClassicProtocol("range", new byte[0])), 10_000, 10_000, "c", "h", false)).join();
        coordinator.syncGroup(new SyncGroupRequest(group, joined.memberId(), null, joined.generationId(), null, null,
                Map.of())).join();
        return joined;
    }

    @Test
    void simpleCommitsRoundTripWithMetadataAndTimestamp() throws Exception {
        // Given a coordinator and no group
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));

        // When offsets are committed from outside any group, twice for one partition
        assertThat(commit("g", "", -1, T0, 5)).containsEntry(T0, GroupError.NONE);
        assertThat(commit("g", "", -1, T0, 9)).containsEntry(T0, GroupError.NONE);
        assertThat(commit("g", "", -1, T1, 1)).containsEntry(T1, GroupError.NONE);

        // Then the last commit wins, per partition, and a fetch of all returns both
        OffsetFetchResult fetched = coordinator.fetchOffsets("g", null, -1, List.of(T0, new TopicPartition("t", 7)));
        assertThat(fetched.offsets()).containsOnlyKeys(T0);
        OffsetAndMetadata t0 = fetched.offsets().get(T0);
        assertThat(t0.offset()).isEqualTo(9);
        assertThat(t0.metadata()).isEqualTo("meta-9");
        assertThat(t0.leaderEpoch()).isEqualTo(3);
        assertThat(t0.commitTimestampMs()).isEqualTo(scheduler.nowMs());
        assertThat(coordinator.fetchOffsets("g", null, -1, null).offsets()).containsOnlyKeys(T0, T1);
        assertThat(store.records()).hasSize(3);
    }

    @Test
    void classicCommitsAreCheckedAgainstMemberAndGeneration() throws Exception {
        // Given a stable classic group of one member
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        JoinGroupResult member = classicMember("g");

        // When / Then
        assertThat(commit("g", member.memberId(), member.generationId(), T0, 1)).containsEntry(T0, GroupError.NONE);
        assertThat(commit("g", member.memberId(), member.generationId() + 1, T0, 2))
                .containsEntry(T0, GroupError.ILLEGAL_GENERATION);
        assertThat(commit("g", "stranger", member.generationId(), T0, 2)).containsEntry(T0, GroupError.UNKNOWN_MEMBER_ID);
        assertThat(commit("g", "", -1, T0, 2)).containsEntry(T0, GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.fetchOffsets("g", null, -1, List.of(T0)).offsets().get(T0).offset()).isEqualTo(1);
    }

    @Test
    void aCommitDuringTheSyncPhaseIsARebalanceInProgress() throws Exception {
        // Given a member that joined but has not synced yet
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        JoinGroupResult joined = coordinator.joinGroup(new JoinGroupRequest("g", "", null, "consumer",
                List.of(new ClassicProtocol("range", new byte[0])), 10_000, 10_000, "c", "h", false)).join();

        // When it commits
        Map<TopicPartition, GroupError> result = commit("g", joined.memberId(), joined.generationId(), T0, 1);

        // Then
        assertThat(result).containsEntry(T0, GroupError.REBALANCE_IN_PROGRESS);
    }

    @Test
    void consumerGroupCommitsAreCheckedAgainstTheMemberEpoch() throws Exception {
        // Given a consumer-protocol member
        start(GroupConfig.defaults());
        ConsumerHeartbeatResult member = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("cg", "", 0,
                null, null, 30_000, List.of("t"), null, null, List.of(), "c", "h"));

        // When / Then
        assertThat(commit("cg", member.memberId(), member.memberEpoch(), T0, 4)).containsEntry(T0, GroupError.NONE);
        assertThat(commit("cg", member.memberId(), member.memberEpoch() - 1, T0, 5))
                .containsEntry(T0, GroupError.STALE_MEMBER_EPOCH);
        assertThat(commit("cg", "ghost", 1, T0, 5)).containsEntry(T0, GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.fetchOffsets("cg", member.memberId(), member.memberEpoch() + 1, null).error())
                .isEqualTo(GroupError.STALE_MEMBER_EPOCH);
    }

    @Test
    void aTransactionalCommitWithoutMemberIsAcceptedWhileTheGroupHasMembers() throws Exception {
        // Given a stable classic group and a consumer-protocol group, each with a member
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        JoinGroupResult classic = classicMember("g");
        ConsumerHeartbeatResult consumer = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("cg", "", 0,
                null, null, 30_000, List.of("t"), null, null, List.of(), "c", "h"));

        // When a TxnOffsetCommit of version 0-2 (no member id, generation -1, as kafkajs and librdkafka send)
        // is checked, the groups accept it, as Kafka does; a plain OffsetCommit without member is still refused
        assertThat(coordinator.checkTransactionOffsetCommit("g", "", null, -1, List.of(T0))).isEqualTo(GroupError.NONE);
        assertThat(coordinator.checkTransactionOffsetCommit("cg", "", null, -1, List.of(T0))).isEqualTo(GroupError.NONE);
        assertThat(commit("g", "", -1, T0, 1)).containsEntry(T0, GroupError.UNKNOWN_MEMBER_ID);

        // Then a member id or generation, once given, is checked
        assertThat(coordinator.checkTransactionOffsetCommit("g", "ghost", null, -1, List.of(T0)))
                .isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.checkTransactionOffsetCommit("g", classic.memberId(), null, classic.generationId() + 1,
                List.of(T0))).isEqualTo(GroupError.ILLEGAL_GENERATION);
        assertThat(coordinator.checkTransactionOffsetCommit("cg", "ghost", null, 1, List.of(T0)))
                .isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.checkTransactionOffsetCommit("cg", consumer.memberId(), null, consumer.memberEpoch(),
                List.of(T0))).isEqualTo(GroupError.NONE);
    }

    @Test
    void aCommittedTransactionWithNoOffsetForAGroupCreatesNoGroup() throws Exception {
        // Given a coordinator, and offset metadata one char over offset.metadata.max.bytes and one at it
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        int max = GroupConfig.defaults().offsetMetadataMaxBytes();

        // When a transaction whose every offset of the group was refused when sent (TxnOffsetCommit) commits
        Map<TopicPartition, GroupError> written = coordinator.commitTransactionOffsets("txn-g", List.of()).join();

        // Then nothing is written and no group appears; the size check is the one TxnOffsetCommit asks
        assertThat(written).isEmpty();
        assertThat(coordinator.listGroups(Set.of(), Set.of())).isEmpty();
        assertThat(store.records()).isEmpty();
        assertThat(coordinator.offsetMetadataFits("x".repeat(max))).isTrue();
        assertThat(coordinator.offsetMetadataFits("x".repeat(max + 1))).isFalse();
        assertThat(coordinator.offsetMetadataFits(null)).isTrue();
    }

    @Test
    void aMemberThatLeftMayStillCommitWithEpochMinusOneOnceTheGroupIsEmpty() throws Exception {
        // Given a consumer-protocol member that joined and then left (epoch -1 heartbeat)
        start(GroupConfig.defaults());
        ConsumerHeartbeatResult member = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("left", "", 0,
                null, null, 30_000, List.of("t"), null, null, List.of(), "c", "h"));
        assertThat(commit("left", member.memberId(), -1, T0, 3)).containsEntry(T0, GroupError.STALE_MEMBER_EPOCH);
        coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("left", member.memberId(), -1,
                null, null, 30_000, null, null, null, null, "c", "h"));

        // When it commits with its old member id and epoch -1, as a client whose poll interval ran out does
        // Then the empty group accepts it, as Kafka does
        assertThat(commit("left", member.memberId(), -1, T0, 6)).containsEntry(T0, GroupError.NONE);
        assertThat(coordinator.fetchOffsets("left", null, -1, List.of(T0)).offsets().get(T0).offset()).isEqualTo(6);
    }

    @Test
    void deletingOffsetsAndGroupsRespectsMembership() throws Exception {
        // Given a group with a member and offsets, and an empty group with offsets
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        JoinGroupResult member = classicMember("busy");
        commit("busy", member.memberId(), member.generationId(), T0, 1);
        commit("idle", "", -1, T0, 1);
        commit("idle", "", -1, T1, 1);

        // When
        OffsetDeleteResult busyOffsets = coordinator.deleteOffsets("busy", List.of(T0)).join();
        OffsetDeleteResult idleOffsets = coordinator.deleteOffsets("idle", List.of(T0)).join();
        Map<String, GroupError> deleted = coordinator.deleteGroups(List.of("busy", "idle", "none")).join();

        // Then
        assertThat(busyOffsets.partitionErrors()).containsEntry(T0, GroupError.GROUP_SUBSCRIBED_TO_TOPIC);
        assertThat(idleOffsets.partitionErrors()).containsEntry(T0, GroupError.NONE);
        assertThat(deleted).containsEntry("busy", GroupError.NON_EMPTY_GROUP)
                .containsEntry("idle", GroupError.NONE).containsEntry("none", GroupError.GROUP_ID_NOT_FOUND);
        assertThat(coordinator.fetchOffsets("idle", null, -1, null).offsets()).isEmpty();
        assertThat(coordinator.listGroups(Set.of(), Set.of())).extracting(GroupListing::groupId).containsExactly("busy");
    }

    @Test
    void listAndDescribeShowStateTypeAndMembers() throws Exception {
        // Given a classic group and a consumer group
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        JoinGroupResult classic = classicMember("classic");
        ConsumerHeartbeatResult consumer = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("modern", "",
                0, null, "rack-1", 30_000, List.of("t"), null, "range", List.of(), "c", "h"));

        // When
        List<GroupListing> all = coordinator.listGroups(Set.of(), Set.of());
        List<GroupListing> consumers = coordinator.listGroups(Set.of(), Set.of(GroupType.CONSUMER));
        ClassicGroupDescription classicView = coordinator.describeClassicGroup("classic");
        ConsumerGroupDescription consumerView = coordinator.describeConsumerGroup("modern");

        // Then
        assertThat(all).hasSize(2);
        assertThat(consumers).containsExactly(new GroupListing("modern", "consumer", GroupState.STABLE, GroupType.CONSUMER));
        assertThat(classicView.state()).isEqualTo(GroupState.STABLE);
        assertThat(classicView.protocolName()).isEqualTo("range");
        assertThat(classicView.members()).extracting(ClassicGroupDescription.Member::memberId)
                .containsExactly(classic.memberId());
        assertThat(consumerView.assignorName()).isEqualTo("range");
        assertThat(consumerView.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(consumer.memberId());
            assertThat(m.rackId()).isEqualTo("rack-1");
            assertThat(m.assignment()).containsExactlyInAnyOrder(T0, T1);
        });
        assertThat(coordinator.describeConsumerGroup("classic").error()).isEqualTo(GroupError.GROUP_ID_NOT_FOUND);
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionPeriod() throws Exception {
        // Given a one-hour retention, checked every minute, and offsets of an empty group and of a live one
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0).withOffsetsRetentionMs(3_600_000L)
                .withOffsetsRetentionCheckIntervalMs(60_000L));
        commit("empty", "", -1, T0, 1);
        JoinGroupResult member = classicMember("live");
        commit("live", member.memberId(), member.generationId(), T0, 1);

        // When 30 minutes pass, then 31 more (the live member heartbeats throughout)
        for (int i = 0; i < 30 * 12; i++) {
            scheduler.advance(5_000);
            coordinator.heartbeat(new HeartbeatRequest("live", member.memberId(), null, member.generationId()));
        }
        boolean keptAtHalfTime = !coordinator.fetchOffsets("empty", null, -1, null).offsets().isEmpty();
        for (int i = 0; i < 31 * 12; i++) {
            scheduler.advance(5_000);
            coordinator.heartbeat(new HeartbeatRequest("live", member.memberId(), null, member.generationId()));
        }

        // Then the empty group's offsets and the group itself are gone; the live group keeps its offsets
        assertThat(keptAtHalfTime).isTrue();
        assertThat(coordinator.fetchOffsets("empty", null, -1, null).offsets()).isEmpty();
        assertThat(coordinator.listGroups(Set.of(), Set.of())).extracting(GroupListing::groupId).containsExactly("live");
        assertThat(coordinator.fetchOffsets("live", null, -1, null).offsets()).containsOnlyKeys(T0);
        assertThat(store.records()).anyMatch(r -> r instanceof GroupRecord.GroupRemoved removed
                && removed.groupId().equals("empty"));
    }

    @Test
    void stateIsRebuiltFromTheStore() throws Exception {
        // Given offsets, a deleted offset and a classic group at generation 1, in the store
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        JoinGroupResult member = classicMember("g");
        commit("g", member.memberId(), member.generationId(), T0, 42);
        commit("g", member.memberId(), member.generationId(), T1, 43);
        coordinator.leaveGroup("g", List.of(new LeaveGroupResult.LeavingMember(member.memberId(), null)));
        coordinator.deleteOffsets("g", List.of(T1)).join();
        coordinator.close();

        // When a new coordinator starts over the same store
        coordinator = GroupCoordinator.start(GroupConfig.defaults().withInitialRebalanceDelayMs(0), scheduler, store,
                topics);

        // Then offsets are back, and the next generation is not a reused one
        assertThat(coordinator.fetchOffsets("g", null, -1, null).offsets()).containsOnlyKeys(T0);
        assertThat(coordinator.fetchOffsets("g", null, -1, null).offsets().get(T0).offset()).isEqualTo(42);
        JoinGroupResult rejoined = classicMember("g");
        assertThat(rejoined.generationId()).isEqualTo(3);
    }

    @Test
    void aDeletedTopicsOffsetsAreDroppedFromEveryGroupWithTombstones() throws Exception {
        // Given two groups with offsets of topic t, one also of topic u
        topics.with("u", 1);
        start(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        TopicPartition u0 = new TopicPartition("u", 0);
        commit("g1", "", -1, T0, 5);
        commit("g1", "", -1, u0, 6);
        commit("g2", "", -1, T1, 7);
        int before = store.records().size();

        // When topic t is deleted
        coordinator.topicDeleted("t").join();

        // Then only u's offset is left, and each removal was written as a tombstone
        assertThat(coordinator.fetchOffsets("g1", null, -1, null).offsets()).containsOnlyKeys(u0);
        assertThat(coordinator.fetchOffsets("g2", null, -1, null).offsets()).isEmpty();
        assertThat(store.records().subList(before, store.records().size())).containsExactlyInAnyOrder(
                new GroupRecord.OffsetRemoved("g1", T0), new GroupRecord.OffsetRemoved("g2", T1));
    }

    private ConsumerHeartbeatResult heartbeat(String member, int epoch, List<String> topics,
                                              List<TopicPartition> owned) {
        return coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("cg", member, epoch, null, null, 30_000,
                topics, null, null, owned, "c", "h"));
    }

    private Map<TopicPartition, GroupError> commitBoth(String member, int epoch) {
        return coordinator.commitOffsets(new OffsetCommitRequest("cg", member, null, epoch, List.of(
                new OffsetCommitRequest.PartitionOffset(T0, 7, -1, ""),
                new OffsetCommitRequest.PartitionOffset(T1, 7, -1, "")))).join();
    }

    /** Member a owns both partitions of t; b joins; a gives one up: a's epochs before and after, and what it kept. */
    private record Handover(int before, int after, TopicPartition kept, TopicPartition given) {
    }

    private Handover handOverOnePartition() {
        ConsumerHeartbeatResult a = heartbeat("a", 0, List.of("t"), List.of());
        heartbeat("b", 0, List.of("t"), List.of());
        ConsumerHeartbeatResult revoking = heartbeat("a", a.memberEpoch(), null, List.of(T0, T1));
        TopicPartition kept = revoking.assignment().iterator().next();
        ConsumerHeartbeatResult bumped = heartbeat("a", a.memberEpoch(), null, List.of(kept));
        assertThat(bumped.memberEpoch()).isGreaterThan(a.memberEpoch());
        return new Handover(a.memberEpoch(), bumped.memberEpoch(), kept, kept.equals(T0) ? T1 : T0);
    }

    @Test
    void aCommitInFlightDuringAnEpochBumpIsAcceptedForPartitionsTheMemberStillHolds() throws Exception {
        // Given member a owning both partitions, then b joining and a completing its revocation
        start(GroupConfig.defaults());
        Handover handover = handOverOnePartition();

        // When a commits with the epoch it had before the bump
        Map<TopicPartition, GroupError> keptResult = commit("cg", "a", handover.before(), handover.kept(), 10);
        Map<TopicPartition, GroupError> givenResult = commit("cg", "a", handover.before(), handover.given(), 10);

        // Then the partition it still holds is accepted, the one it gave up is stale
        assertThat(keptResult).containsEntry(handover.kept(), GroupError.NONE);
        assertThat(givenResult).containsEntry(handover.given(), GroupError.STALE_MEMBER_EPOCH);
    }

    @Test
    void anOlderEpochIsAcceptedOnlyForPartitionsHeldSinceThatEpoch() throws Exception {
        // Given a that kept one partition since its first epoch, then took the other one back at a third
        // epoch once b left
        start(GroupConfig.defaults());
        Handover handover = handOverOnePartition();
        ConsumerHeartbeatResult b = heartbeat("b", handover.after(), null, List.of());
        heartbeat("b", b.memberEpoch(), null, b.assignment().stream().toList());
        heartbeat("b", ConsumerHeartbeatRequest.LEAVE_EPOCH, null, null);
        ConsumerHeartbeatResult again = heartbeat("a", handover.after(), null, List.of(handover.kept()));
        assertThat(again.memberEpoch()).isGreaterThan(handover.after());
        assertThat(again.assignment()).containsExactlyInAnyOrder(T0, T1);
        int current = again.memberEpoch();

        // When / Then: the first epoch, two bumps old, is good for the partition held since then, not for
        // the one taken back later, and one refused partition refuses the whole commit
        assertThat(commit("cg", "a", handover.before(), handover.kept(), 1))
                .containsEntry(handover.kept(), GroupError.NONE);
        assertThat(commit("cg", "a", handover.after(), handover.given(), 1))
                .containsEntry(handover.given(), GroupError.STALE_MEMBER_EPOCH);
        assertThat(commitBoth("a", handover.after()))
                .containsEntry(T0, GroupError.STALE_MEMBER_EPOCH).containsEntry(T1, GroupError.STALE_MEMBER_EPOCH);
        assertThat(commitBoth("a", current + 1))
                .containsEntry(T0, GroupError.STALE_MEMBER_EPOCH).containsEntry(T1, GroupError.STALE_MEMBER_EPOCH);
        assertThat(commitBoth("a", current)).containsEntry(T0, GroupError.NONE).containsEntry(T1, GroupError.NONE);
        assertThat(coordinator.fetchOffsets("cg", null, -1, List.of(handover.kept())).offsets()
                .get(handover.kept()).offset()).isEqualTo(7);
    }

    @Test
    void aPartitionPendingRevocationKeepsTheEpochItWasAssignedAt() throws Exception {
        // Given a holding both partitions since its first epoch, bumped once without a change (c joined for
        // another topic), then asked to give one up for b
        start(GroupConfig.defaults());
        topics.with("u", 1);
        ConsumerHeartbeatResult first = heartbeat("a", 0, List.of("t"), List.of());
        heartbeat("c", 0, List.of("u"), List.of());
        ConsumerHeartbeatResult second = heartbeat("a", first.memberEpoch(), null, List.of(T0, T1));
        assertThat(second.memberEpoch()).isGreaterThan(first.memberEpoch());
        heartbeat("b", 0, List.of("t"), List.of());
        ConsumerHeartbeatResult revoking = heartbeat("a", second.memberEpoch(), null, List.of(T0, T1));
        assertThat(revoking.assignment()).hasSize(1);
        TopicPartition revoked = revoking.assignment().contains(T0) ? T1 : T0;

        // When / Then: while the revocation is pending, the first epoch still commits it; once a confirmed
        // it, only the current epoch does (Kafka does not check partitions at the current epoch)
        assertThat(commit("cg", "a", first.memberEpoch(), revoked, 1)).containsEntry(revoked, GroupError.NONE);
        ConsumerHeartbeatResult done = heartbeat("a", second.memberEpoch(), null,
                revoking.assignment().stream().toList());
        assertThat(commit("cg", "a", first.memberEpoch(), revoked, 2))
                .containsEntry(revoked, GroupError.STALE_MEMBER_EPOCH);
        assertThat(commit("cg", "a", done.memberEpoch(), revoked, 3)).containsEntry(revoked, GroupError.NONE);
    }

    @Test
    void offsetFetchAndTransactionalCommitsFollowTheSameEpochRules() throws Exception {
        // Given a that kept one partition across an epoch bump and gave up the other
        start(GroupConfig.defaults());
        Handover handover = handOverOnePartition();

        // When / Then: a fetch takes only the current epoch, as in Kafka; a transactional commit is checked
        // per partition like a plain one
        assertThat(coordinator.fetchOffsets("cg", "a", handover.before(), null).error())
                .isEqualTo(GroupError.STALE_MEMBER_EPOCH);
        assertThat(coordinator.fetchOffsets("cg", "a", handover.after(), null).error()).isEqualTo(GroupError.NONE);
        assertThat(coordinator.checkTransactionOffsetCommit("cg", "a", null, handover.before(),
                List.of(handover.kept()))).isEqualTo(GroupError.NONE);
        assertThat(coordinator.checkTransactionOffsetCommit("cg", "a", null, handover.before(),
                List.of(handover.kept(), handover.given()))).isEqualTo(GroupError.STALE_MEMBER_EPOCH);
    }
}
