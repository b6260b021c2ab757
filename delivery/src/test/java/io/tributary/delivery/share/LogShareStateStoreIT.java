package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
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

/** Share-partition snapshots through a real log and ingest pipeline, across restarts and cleanings. */
@Timeout(60)
class LogShareStateStoreIT {
    private static final ShareKey A = new ShareKey("g", new TopicPartition("jobs", 0));
    private static final ShareKey B = new ShareKey("g", new TopicPartition("jobs", 1));
    private static final int CLEAN_BYTES = 8 * 1024;

    @TempDir
    Path dir;

    private final class Node implements AutoCloseable {
        final LogManager log = LogManager.open(LogManagerConfig.builder(dir).build());
        final IngestPipeline pipeline = IngestPipeline.start(log,
                PipelineConfig.builder().stateDir(dir).ringSize(256).build());
        final LogShareStateStore store = LogShareStateStore.open(log, pipeline, CLEAN_BYTES);

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
    void rewritingOneKeyOverAndOverMovesTheLogStartAndKeepsItsLastState() throws Exception {
        long logStart;
        try (Node node = new Node()) {
            node.store.load();
            // When one key is written far more often than the cleaning threshold allows
            // (each waited for, so that each is a batch of its own)
            for (int i = 0; i < 2_000; i++) {
                long start = i;
                node.store.persist(A, () -> snapshot(start)).get(10, TimeUnit.SECONDS);
            }
            logStart = node.log.topic(LogShareStateStore.TOPIC).orElseThrow().partition(0).logStartOffset();
        }

        // Then the old records are behind the log start, and a restart still finds the newest snapshot
        assertThat(logStart).isPositive();
        try (Node node = new Node()) {
            assertThat(node.store.load()).isEqualTo(Map.of(A, snapshot(1_999)));
        }
    }
}
