package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.store.LogGroupStore;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Offset expiry (KIP-211) over the real {@code __consumer_offsets} store, across restarts. */
@Timeout(60)
class GroupExpiryIT {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final long HOUR = 3_600_000L;
    private static final GroupConfig CONFIG = GroupConfig.defaults().withInitialRebalanceDelayMs(0)
            .withOffsetsRetentionMs(HOUR).withOffsetsRetentionCheckIntervalMs(60_000L);

    @TempDir
    Path dir;

    /** A log, pipeline, store and coordinator whose clock starts {@code elapsedMs} after the first node's. */
    private final class Node implements AutoCloseable {
        final LogManager log = LogManager.open(LogManagerConfig.builder(dir).build());
        final IngestPipeline pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir).build());
        final ManualScheduler scheduler = new ManualScheduler();
        final GroupCoordinator coordinator;

        Node(long elapsedMs) throws Exception {
            scheduler.advance(elapsedMs);
            coordinator = GroupCoordinator.start(CONFIG, scheduler, LogGroupStore.open(log, pipeline), new FakeTopics()
                    .with("t", 1));
        }

        void commit(String group, String member, int generation, long offset) {
            assertThat(coordinator.commitOffsets(new OffsetCommitRequest(group, member, null, generation,
                    List.of(new OffsetCommitRequest.PartitionOffset(T0, offset, 0, "")))).join())
                    .containsEntry(T0, GroupError.NONE);
        }

        JoinGroupResult member(String group) {
            JoinGroupResult joined = coordinator.joinGroup(new JoinGroupRequest(group, "", null, "consumer",
                    List.of(new ClassicProtocol("range", new byte[0])), 10_000, 10_000, "c", "h", false)).join();
            coordinator.syncGroup(new SyncGroupRequest(group, joined.memberId(), null, joined.generationId(), null,
                    null, Map.of())).join();
            return joined;
        }

        /** Moves the clock by {@code ms} in 5 s steps; {@code live}'s member heartbeats at each. */
        void pass(long ms, String group, JoinGroupResult live) {
            for (long t = 0; t < ms; t += 5_000) {
                scheduler.advance(5_000);
                if (live != null) {
                    coordinator.heartbeat(new HeartbeatRequest(group, live.memberId(), null, live.generationId()));
                }
            }
        }

        Map<TopicPartition, OffsetAndMetadata> offsets(String group) {
            return coordinator.fetchOffsets(group, null, -1, null).offsets();
        }

        List<String> groups() {
            List<String> ids = new ArrayList<>();
            coordinator.listGroups(Set.of(), Set.of()).forEach(listing -> ids.add(listing.groupId()));
            return ids;
        }

        @Override
        public void close() {
            coordinator.close();
            pipeline.close();
            log.close();
        }
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionNotBeforeAndTheTombstonesSurviveARestart() throws Exception {
        try (Node node = new Node(0)) {
            // Given an emptied group with an offset, and a group whose member stays
            JoinGroupResult leaving = node.member("empty");
            node.commit("empty", leaving.memberId(), leaving.generationId(), 5);
            node.coordinator.leaveGroup("empty", List.of(new LeaveGroupResult.LeavingMember(leaving.memberId(), null)));
            JoinGroupResult live = node.member("live");
            node.commit("live", live.memberId(), live.generationId(), 7);

            // When 59 minutes pass, then 2 more
            node.pass(59 * 60_000L, "live", live);
            Map<TopicPartition, OffsetAndMetadata> before = node.offsets("empty");
            node.pass(2 * 60_000L, "live", live);

            // Then the empty group's offset lasted the retention and then went, with the group
            assertThat(before).containsOnlyKeys(T0);
            assertThat(node.offsets("empty")).isEmpty();
            assertThat(node.groups()).containsExactly("live");
            assertThat(node.offsets("live")).containsOnlyKeys(T0);
        }

        // And after a restart the expiry holds and the member's group still has its offset
        try (Node node = new Node(61 * 60_000L)) {
            assertThat(node.groups()).containsExactly("live");
            assertThat(node.offsets("empty")).isEmpty();
            assertThat(node.offsets("live").get(T0).offset()).isEqualTo(7);
        }
    }

    @Test
    void aRestartDoesNotStartTheRetentionOfAnEmptyGroupAgain() throws Exception {
        // Given a group emptied at time 0, and offsets committed from outside any group at time 0
        try (Node node = new Node(0)) {
            JoinGroupResult leaving = node.member("empty");
            node.commit("empty", leaving.memberId(), leaving.generationId(), 5);
            node.coordinator.leaveGroup("empty", List.of(new LeaveGroupResult.LeavingMember(leaving.memberId(), null)));
            node.commit("simple", "", -1, 9);
            node.pass(40 * 60_000L, null, null);
        }

        // When the broker restarts 40 minutes later
        try (Node node = new Node(40 * 60_000L)) {
            assertThat(node.offsets("empty")).containsOnlyKeys(T0);
            assertThat(node.offsets("simple")).containsOnlyKeys(T0);

            // Then both expire an hour after time 0, not an hour after the restart
            node.pass(21 * 60_000L, null, null);
            assertThat(node.offsets("empty")).isEmpty();
            assertThat(node.offsets("simple")).isEmpty();
            assertThat(node.groups()).isEmpty();
        }
    }

    @Test
    void anEmptyGroupWithoutOffsetsIsDeletedAtTheNextCheck() throws Exception {
        try (Node node = new Node(0)) {
            // Given a group whose only member left without committing
            JoinGroupResult leaving = node.member("idle");
            node.coordinator.leaveGroup("idle", List.of(new LeaveGroupResult.LeavingMember(leaving.memberId(), null)));
            assertThat(node.groups()).containsExactly("idle");

            // When the next expiry check runs
            node.pass(60_000L, null, null);

            // Then it is gone, as Kafka's periodic cleanup removes it
            assertThat(node.groups()).isEmpty();
        }
    }
}
