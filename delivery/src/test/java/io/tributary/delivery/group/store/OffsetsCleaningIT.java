package io.tributary.delivery.group.store;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.OffsetAndMetadata;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The copy-forward cleaning of {@code __consumer_offsets}, through a real log and ingest pipeline. */
@Timeout(60)
class OffsetsCleaningIT {
    private static final int SEGMENT_BYTES = 8192;
    private static final List<TopicPartition> KEYS = List.of(
            new TopicPartition("orders", 0), new TopicPartition("orders", 1), new TopicPartition("payments", 0));

    @TempDir
    Path dir;

    /** A log, pipeline and store over {@link #dir}; closing it is a clean stop. */
    private final class Node implements AutoCloseable {
        final LogManager log = LogManager.open(LogManagerConfig.builder(dir).retentionCheckIntervalMs(50)
                .fileDeleteDelayMs(0).build());
        final IngestPipeline pipeline = IngestPipeline.start(log,
                PipelineConfig.builder().stateDir(dir).ringSize(256).build());
        final LogGroupStore store;

        /** With {@code background} null, the store runs its cleaning on its own thread. */
        Node(Executor background) {
            GroupStoreConfig config = new GroupStoreConfig(SEGMENT_BYTES);
            store = background == null ? LogGroupStore.open(log, pipeline, config)
                    : LogGroupStore.open(log, pipeline, config, background);
        }

        /** Replays the store: every record, oldest first. */
        List<GroupRecord> replay() throws Exception {
            List<GroupRecord> records = new ArrayList<>();
            store.replay(records::add);
            return records;
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

    /** Runs background steps only when the test says so. */
    private static final class ManualExecutor implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
            notifyAll();
        }

        synchronized boolean hasTask() {
            return !tasks.isEmpty();
        }

        /** Waits for a task, then runs it on the calling thread. */
        void runNext() throws InterruptedException {
            Runnable task;
            synchronized (this) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (tasks.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    assertThat(left).as("a background task in time").isPositive();
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                task = tasks.poll();
            }
            task.run();
        }
    }

    /** The last-wins state of replayed offset commits: committed offset by partition. */
    private static Map<TopicPartition, Long> state(List<GroupRecord> records) {
        Map<TopicPartition, Long> state = new HashMap<>();
        for (GroupRecord record : records) {
            if (record instanceof GroupRecord.OffsetCommitted committed) {
                state.put(committed.partition(), committed.offset().offset());
            }
        }
        return state;
    }

    /** Commits in turn to the three keys until a cleaning has closed the gate; returns what was committed. */
    private static Map<TopicPartition, Long> commitUntilACleaningStarts(Node node, ManualExecutor background) {
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (int i = 0; !background.hasTask(); i++) {
            assertThat(i).as("commits before a cleaning starts").isLessThan(10_000);
            node.commit(i % KEYS.size(), i).join();
            committed.put(KEYS.get(i % KEYS.size()), (long) i);
        }
        return committed;
    }

    @Test
    void manyCommitsToFewKeysKeepThePartitionBounded() throws Exception {
        // Given a store with 8 KiB segments
        Map<TopicPartition, Long> committed = new HashMap<>();
        try (Node node = new Node(null)) {
            node.replay();

            // When 3000 commits go to three keys (about 330 KB of batches)
            for (int i = 0; i < 3000; i++) {
                node.commit(i % KEYS.size(), i).join();
                committed.put(KEYS.get(i % KEYS.size()), (long) i);
            }

            // Then cleanings moved the log start and retention deleted the segments behind it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((node.store.partition().sizeInBytes() > 4L * SEGMENT_BYTES
                    || node.store.writer().bytesSinceStart() >= SEGMENT_BYTES) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(node.store.writer().cleanings()).isPositive();
            assertThat(node.store.partition().logStartOffset()).isGreaterThan(2900);
            assertThat(node.store.partition().sizeInBytes()).isLessThanOrEqualTo(4L * SEGMENT_BYTES);
            assertThat(node.store.writer().bytesSinceStart()).isLessThan(SEGMENT_BYTES);
        }

        // And a restart replays the same offsets from what is left
        try (Node node = new Node(null)) {
            List<GroupRecord> replayed = node.replay();
            assertThat(state(replayed)).isEqualTo(committed);
            assertThat(replayed.size()).isLessThan(200);
        }
    }

    @Test
    void aRestartAfterTheCopyButBeforeTheTrimReplaysTheSameState() throws Exception {
        // Given commits up to the point where a cleaning starts, and its copy written
        ManualExecutor background = new ManualExecutor();
        Map<TopicPartition, Long> committed;
        long endBeforeCopy;
        try (Node node = new Node(background)) {
            node.replay();
            committed = commitUntilACleaningStarts(node, background);
            endBeforeCopy = node.store.partition().logEndOffset();
            background.runNext();
            while (!background.hasTask()) {
                Thread.sleep(5);
            }

            // When the broker stops before the log start moves
        }

        // Then the old records and the copy are all there, and replay gives the same offsets
        try (Node node = new Node(null)) {
            assertThat(node.store.partition().logStartOffset()).isZero();
            assertThat(node.store.partition().logEndOffset()).isEqualTo(endBeforeCopy + KEYS.size());
            List<GroupRecord> replayed = node.replay();
            assertThat(state(replayed)).isEqualTo(committed);
            assertThat(state(replayed.subList(replayed.size() - KEYS.size(), replayed.size()))).isEqualTo(committed);
        }
    }

    @Test
    void aRestartAfterTheTrimReplaysTheSameStateFromTheCopyAlone() throws Exception {
        // Given a whole cleaning: the copy written, then the log start moved past the old records
        ManualExecutor background = new ManualExecutor();
        Map<TopicPartition, Long> committed;
        long cut;
        try (Node node = new Node(background)) {
            node.replay();
            committed = commitUntilACleaningStarts(node, background);
            cut = node.store.partition().logEndOffset();
            background.runNext();
            background.runNext();
            assertThat(node.store.partition().logStartOffset()).isEqualTo(cut);

            // When the broker stops
        }

        // Then the start stays past the old records and the copy alone replays the same offsets
        try (Node node = new Node(null)) {
            assertThat(node.store.partition().logStartOffset()).isEqualTo(cut);
            List<GroupRecord> replayed = node.replay();
            assertThat(replayed).hasSize(KEYS.size());
            assertThat(state(replayed)).isEqualTo(committed);
        }
    }

    @Test
    void aCommitArrivingDuringTheCopyWinsOverTheCopiedValue() throws Exception {
        // Given a cleaning whose gate has closed, its copy not yet written
        ManualExecutor background = new ManualExecutor();
        Map<TopicPartition, Long> committed;
        try (Node node = new Node(background)) {
            node.replay();
            committed = commitUntilACleaningStarts(node, background);

            // When a commit to a copied key arrives, then the copy and the trim run
            CompletableFuture<Void> racing = node.commit(0, 1_000_000L);
            committed.put(KEYS.get(0), 1_000_000L);
            boolean heldBehindTheCopy = !racing.isDone();
            background.runNext();
            racing.get(10, TimeUnit.SECONDS);
            background.runNext();

            // Then the commit was held until the copy was offered, and it is the last record of its key
            assertThat(heldBehindTheCopy).isTrue();
            assertThat(state(node.replay())).isEqualTo(committed);
        }

        // And it still wins after a restart, which replays from the copy
        try (Node node = new Node(null)) {
            List<GroupRecord> replayed = node.replay();
            assertThat(replayed).hasSize(KEYS.size() + 1);
            assertThat(state(replayed)).isEqualTo(committed);
        }
    }
}
