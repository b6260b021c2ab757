package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.ClassicProtocol;
import io.tributary.delivery.group.ConsumerHeartbeatRequest;
import io.tributary.delivery.group.ConsumerHeartbeatResult;
import io.tributary.delivery.group.GroupConfig;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.GroupScheduler;
import io.tributary.delivery.group.JoinGroupRequest;
import io.tributary.delivery.group.JoinGroupResult;
import io.tributary.delivery.group.OffsetAndMetadata;
import io.tributary.delivery.group.OffsetCommitRequest;
import io.tributary.delivery.group.SyncGroupRequest;
import io.tributary.delivery.group.TopicMetadata;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Group state through a real log and ingest pipeline, across a restart. */
@Timeout(60)
class LogGroupStoreIT {
    private static final TopicPartition T0 = new TopicPartition("orders", 0);
    private static final TopicPartition T1 = new TopicPartition("orders", 1);
    private static final GroupConfig CONFIG = GroupConfig.defaults().withInitialRebalanceDelayMs(0);

    @TempDir
    Path dir;

    private final class Broker implements AutoCloseable {
        final LogManager log = LogManager.open(LogManagerConfig.builder(dir.resolve("data")).build());
        final IngestPipeline pipeline = IngestPipeline.start(log,
                PipelineConfig.builder().stateDir(dir.resolve("data")).ringSize(256).build());
        final LogGroupStore store = LogGroupStore.open(log, pipeline);
        final GroupScheduler scheduler = GroupScheduler.system();
        final GroupCoordinator coordinator;

        Broker() throws Exception {
            if (log.topic("orders").isEmpty()) {
                log.createTopic("orders", 2, Map.of());
            }
            coordinator = GroupCoordinator.start(CONFIG, scheduler, store, new TopicMetadata() {
                @Override
                public int partitionCount(String topic) {
                    return log.topic(topic).map(t -> t.partitionCount()).orElse(-1);
                }

                @Override
                public Collection<String> topicNames() {
                    return log.topics().stream().map(t -> t.name()).toList();
                }
            });
        }

        @Override
        public void close() {
            coordinator.close();
            scheduler.close();
            pipeline.close();
            log.close();
        }
    }

    private static Map<TopicPartition, GroupError> commit(GroupCoordinator coordinator, String group, String member,
                                                          int generation, TopicPartition tp, long offset) {
        return coordinator.commitOffsets(new OffsetCommitRequest(group, member, null, generation,
                List.of(new OffsetCommitRequest.PartitionOffset(tp, offset, 0, "m" + offset)))).join();
    }

    @Test
    void writtenRecordsReplayInOrder() throws Exception {
        // Given records written through the pipeline
        List<GroupRecord> written = List.of(
                new GroupRecord.OffsetCommitted("g", T0, new OffsetAndMetadata(5, 1, "x", 10)),
                new GroupRecord.GroupMetadata("g", io.tributary.delivery.group.GroupType.CLASSIC, 2, "consumer", "range"),
                new GroupRecord.OffsetRemoved("g", T0));
        try (Broker broker = new Broker()) {
            broker.store.write(written.subList(0, 2)).join();
            broker.store.write(written.subList(2, 3)).join();

            // When the partition is replayed
            List<GroupRecord> replayed = new ArrayList<>();
            broker.store.replay(replayed::add);

            // Then
            assertThat(replayed).isEqualTo(written);
        }
    }

    @Test
    void offsetsAndGenerationsSurviveARestart() throws Exception {
        // Given committed offsets of a classic group, a simple commit, and a consumer group's commit
        int generationBefore;
        String consumerMember;
        try (Broker broker = new Broker()) {
            GroupCoordinator coordinator = broker.coordinator;
            JoinGroupResult joined = coordinator.joinGroup(new JoinGroupRequest("classic", "", null, "consumer",
                    List.of(new ClassicProtocol("range", new byte[]{1})), 10_000, 10_000, "c", "h", false)).join();
            coordinator.syncGroup(new SyncGroupRequest("classic", joined.memberId(), null, joined.generationId(),
                    null, null, Map.of(joined.memberId(), new byte[]{2}))).join();
            generationBefore = joined.generationId();
            assertThat(commit(coordinator, "classic", joined.memberId(), joined.generationId(), T0, 100))
                    .containsEntry(T0, GroupError.NONE);
            assertThat(commit(coordinator, "classic", joined.memberId(), joined.generationId(), T0, 150))
                    .containsEntry(T0, GroupError.NONE);
            assertThat(commit(coordinator, "simple", "", -1, T1, 7)).containsEntry(T1, GroupError.NONE);
            ConsumerHeartbeatResult member = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("modern",
                    "", 0, null, null, 30_000, List.of("orders"), null, null, List.of(), "c", "h"));
            consumerMember = member.memberId();
            assertThat(member.assignment()).containsExactlyInAnyOrder(T0, T1);
            assertThat(commit(coordinator, "modern", member.memberId(), member.memberEpoch(), T1, 9))
                    .containsEntry(T1, GroupError.NONE);
        }

        // When the broker restarts
        try (Broker broker = new Broker()) {
            GroupCoordinator coordinator = broker.coordinator;

            // Then the offsets are back, members must rejoin, and generations continue
            assertThat(coordinator.fetchOffsets("classic", null, -1, null).offsets().get(T0).offset()).isEqualTo(150);
            assertThat(coordinator.fetchOffsets("classic", null, -1, null).offsets().get(T0).metadata()).isEqualTo("m150");
            assertThat(coordinator.fetchOffsets("simple", null, -1, null).offsets().get(T1).offset()).isEqualTo(7);
            assertThat(coordinator.fetchOffsets("modern", null, -1, null).offsets().get(T1).offset()).isEqualTo(9);
            ConsumerHeartbeatResult stale = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("modern",
                    consumerMember, 1, null, null, 30_000, null, null, null, List.of(), "c", "h"));
            assertThat(stale.error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
            JoinGroupResult rejoined = coordinator.joinGroup(new JoinGroupRequest("classic", "", null, "consumer",
                    List.of(new ClassicProtocol("range", new byte[]{1})), 10_000, 10_000, "c", "h", false)).join();
            assertThat(rejoined.generationId()).isGreaterThan(generationBefore);
        }
    }
}
