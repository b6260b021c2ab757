package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.OffsetAndMetadata;
import io.tributary.log.CleanerConfig;
import io.tributary.log.CleanupPolicy;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code __consumer_offsets} is a compacted topic that the log cleaner keeps bounded, through a real log and pipeline. */
@Timeout(120)
class OffsetsCompactionIT {
    private static final int SEGMENT_BYTES = 8192;
    private static final List<TopicPartition> KEYS = List.of(
            new TopicPartition("orders", 0), new TopicPartition("orders", 1), new TopicPartition("payments", 0));

    @TempDir
    Path dir;

    /** A log with a quick background cleaner, a pipeline and the store over {@link #dir}; closing it is a clean stop. */
    private final class Node implements AutoCloseable {
        final LogManager log = LogManager.open(LogManagerConfig.builder(dir).retentionCheckIntervalMs(50)
                .fileDeleteDelayMs(0).cleaner(new CleanerConfig(true, 1, 1 << 20, Double.MAX_VALUE, 20)).build());
        final IngestPipeline pipeline = IngestPipeline.start(log,
                PipelineConfig.builder().stateDir(dir).ringSize(256).build());
        final LogGroupStore store = LogGroupStore.open(log, pipeline, new GroupStoreConfig(SEGMENT_BYTES));

        Map<TopicPartition, Long> replayedOffsets() throws Exception {
            List<GroupRecord> records = new ArrayList<>();
            store.replay(records::add);
            Map<TopicPartition, Long> state = new HashMap<>();
            for (GroupRecord record : records) {
                if (record instanceof GroupRecord.OffsetCommitted committed) {
                    state.put(committed.partition(), committed.offset().offset());
                }
            }
            return state;
        }

        CompletableFuture<Void> commit(int key, long offset) {
            return store.write(List.of(new GroupRecord.OffsetCommitted("g", KEYS.get(key),
                    new OffsetAndMetadata(offset, 0, "m" + offset, 1L))));
        }

        @Override
        public void close() {
            pipeline.close();
            log.close();
        }
    }

    @Test
    void theCleanerKeepsTheTopicBoundedAndReplayGivesTheLastCommits() throws Exception {
        Map<TopicPartition, Long> committed = new HashMap<>();
        long written;
        try (Node node = new Node()) {
            // Given a compacted __consumer_offsets and 3,000 commits to three keys (about 40 segments' worth)
            PartitionLog partition = node.store.partition();
            assertThat(partition.config().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
            for (int i = 0; i < 3000; i++) {
                node.commit(i % KEYS.size(), i).join();
                committed.put(KEYS.get(i % KEYS.size()), (long) i);
            }
            written = partition.logEndOffset();

            // When the background cleaner has had its turn
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (partition.sizeInBytes() > 4L * SEGMENT_BYTES && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            // Then the partition holds a few segments' worth, not the whole history
            assertThat(partition.sizeInBytes()).isLessThanOrEqualTo(4L * SEGMENT_BYTES);
            assertThat(node.replayedOffsets()).isEqualTo(committed);
        }

        // And after a restart, replay gives the last commit of every key, and the offsets go on
        try (Node node = new Node()) {
            assertThat(node.replayedOffsets()).isEqualTo(committed);
            assertThat(node.store.partition().logEndOffset()).isEqualTo(written);
        }
    }
}
