package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.log.CleanerConfig;
import io.tributary.log.CleanupPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Share-partition snapshots through a real log and ingest pipeline, across restarts and the log cleaner's compaction. */
@Timeout(120)
class LogShareStateStoreIT {
    private static final ShareKey A = new ShareKey("g", new TopicPartition("jobs", 0));
    private static final ShareKey B = new ShareKey("g", new TopicPartition("jobs", 1));
    private static final int SEGMENT_BYTES = 8192;

    @TempDir
    Path dir;

    private final class Node implements AutoCloseable {
        final LogManager log = LogManager.open(LogManagerConfig.builder(dir).retentionCheckIntervalMs(50)
                .fileDeleteDelayMs(0).cleaner(new CleanerConfig(true, 1, 1 << 20, Double.MAX_VALUE, 20)).build());
        final IngestPipeline pipeline = IngestPipeline.start(log,
                PipelineConfig.builder().stateDir(dir).ringSize(256).build());
        final LogShareStateStore store = LogShareStateStore.open(log, pipeline, SEGMENT_BYTES);

        @Override
        public void close() {
            store.close();
            pipeline.close();
            log.close();
        }
    }

    private static ShareSnapshot snapshot(long start) {
        return new ShareSnapshot(start, List.of(new ShareSnapshot.Run(start + 1, start + 3, RecordState.ACKNOWLEDGED, 1)));
    }

    @Test
    void theLastSnapshotAndConfigsPerKeyComeBackAfterARestartAndDeletedKeysDoNot() throws Exception {
        try (Node node = new Node()) {
            assertThat(node.store.load()).isEmpty();
            node.store.persist(A, () -> snapshot(1)).get(10, TimeUnit.SECONDS);
            node.store.persist(B, () -> snapshot(5)).get(10, TimeUnit.SECONDS);
            node.store.persist(A, () -> snapshot(2)).get(10, TimeUnit.SECONDS);
            node.store.persist(B, () -> null).get(10, TimeUnit.SECONDS);
            node.store.persistGroupConfigs("g", Map.of("share.auto.offset.reset", "earliest")).get(10, TimeUnit.SECONDS);
            node.store.persistGroupConfigs("h", Map.of("share.delivery.count.limit", "3")).get(10, TimeUnit.SECONDS);
            node.store.persistGroupConfigs("h", Map.of()).get(10, TimeUnit.SECONDS);
        }

        try (Node node = new Node()) {
            assertThat(node.store.load()).isEqualTo(Map.of(A, snapshot(2)));
            assertThat(node.store.groupConfigs()).isEqualTo(Map.of("g", Map.of("share.auto.offset.reset", "earliest")));
        }
    }

    @Test
    void theCleanerCompactsTheTopicAndKeepsTheLatestSnapshotPerKeyAndDropsDeletedOnes() throws Exception {
        ShareKey c = new ShareKey("other", new TopicPartition("jobs", 0));
        long written;
        try (Node node = new Node()) {
            node.store.load();
            PartitionLog partition = node.store.partition();
            assertThat(partition.config().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
            // Given C written once early, configs of g, then A and B rewritten over and over (about 30 segments),
            // each write waited for so that each is a batch of its own, and B deleted at the end
            node.store.persist(c, () -> snapshot(77)).get(10, TimeUnit.SECONDS);
            node.store.persistGroupConfigs("g", Map.of("share.auto.offset.reset", "earliest")).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 2_000; i++) {
                long start = i;
                node.store.persist(i % 2 == 0 ? A : B, () -> snapshot(start)).get(10, TimeUnit.SECONDS);
            }
            node.store.persist(B, () -> null).get(10, TimeUnit.SECONDS);
            written = partition.logEndOffset();

            // When the background cleaner has had its turn
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (partition.sizeInBytes() > 4L * SEGMENT_BYTES && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            // Then the partition holds a few segments' worth, not the whole history
            assertThat(partition.sizeInBytes()).isLessThanOrEqualTo(4L * SEGMENT_BYTES);
        }

        // And a restart finds the newest snapshot of every live key, C's early one too, the configs, and not B
        try (Node node = new Node()) {
            assertThat(node.store.load()).isEqualTo(Map.of(A, snapshot(1_998), c, snapshot(77)));
            assertThat(node.store.groupConfigs()).isEqualTo(Map.of("g", Map.of("share.auto.offset.reset", "earliest")));
            assertThat(node.store.partition().logEndOffset()).isEqualTo(written);
        }
    }

    @Test
    void aTopicFromBeforeCompactionBecomesCompactedAndKeepsItsRecords() throws Exception {
        // Given __share_group_state as it was created before compaction (delete policy, no retention)
        try (LogManager log = LogManager.open(LogManagerConfig.builder(dir).build())) {
            log.createTopic(LogShareStateStore.TOPIC, 1, Map.of(LogConfig.RETENTION_MS, "-1",
                    LogConfig.RETENTION_BYTES, "-1", LogConfig.SEGMENT_BYTES, Integer.toString(1 << 20)));
        }
        try (Node node = new Node()) {
            node.store.load();
            node.store.persist(A, () -> snapshot(3)).get(10, TimeUnit.SECONDS);
        }

        // When the store opens it again, then the topic is compacted and the snapshot is there
        try (Node node = new Node()) {
            assertThat(node.store.partition().config().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
            assertThat(node.store.partition().config().segmentBytes()).isEqualTo(SEGMENT_BYTES);
            assertThat(node.store.load()).isEqualTo(Map.of(A, snapshot(3)));
        }
    }
}
