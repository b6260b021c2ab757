package io.tributary.log.internal;

import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.log.TopicExistsException;
import io.tributary.log.testing.TestBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class DefaultLogManagerTest {
    @TempDir
    Path dir;

    @Test
    void opensAnEmptyOrMissingDirectory() {
        Path fresh = dir.resolve("not-yet");

        try (LogManager log = LogManager.open(LogManagerConfig.builder(fresh).build())) {
            assertThat(log.topics()).isEmpty();
            assertThat(log.directory()).isEqualTo(fresh);
        }
        assertThat(fresh.resolve(DefaultLogManager.CLEAN_SHUTDOWN)).exists();
    }

    @Test
    void topicMetadataSurvivesReopen() {
        Topic created;
        try (LogManager log = LogTestSupport.open(dir)) {
            created = log.createTopic("orders.v1-eu", 3, Map.of("retention.ms", "1000", "flush.policy", "sync"));
        }

        try (LogManager log = LogTestSupport.open(dir)) {
            Topic loaded = log.topic("orders.v1-eu").orElseThrow();
            assertThat(loaded.id()).isEqualTo(created.id());
            assertThat(loaded.partitionCount()).isEqualTo(3);
            assertThat(loaded.configOverrides()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("retention.ms", "1000", "flush.policy", "sync"));
            assertThat(loaded.config().retentionMs()).isEqualTo(1000);
            assertThat(loaded.partition(2).topic()).isEqualTo("orders.v1-eu");
        }
        assertThat(dir.resolve("orders.v1-eu-0").resolve(TopicMetadata.FILE_NAME)).exists();
        assertThat(dir.resolve("orders.v1-eu-2")).isDirectory();
    }

    @Test
    void aTopicIsFoundByIdFromCreationToDeletionAndAfterReopen() {
        UUID id;
        try (LogManager log = LogTestSupport.open(dir)) {
            id = log.createTopic("by-id", 1, Map.of()).id();
            assertThat(log.topic(id)).map(Topic::name).contains("by-id");
            // Growing a topic or changing its config swaps in a new snapshot under the same id
            assertThat(log.createPartitions("by-id", 2).id()).isEqualTo(id);
            assertThat(log.topic(id)).map(Topic::partitionCount).contains(2);
            log.alterTopicConfig("by-id", Map.of("retention.ms", "1000"));
            assertThat(log.topic(id)).map(t -> t.config().retentionMs()).contains(1000L);
        }
        try (LogManager log = LogTestSupport.open(dir)) {
            assertThat(log.topic(id)).map(Topic::name).contains("by-id");
            assertThat(log.deleteTopic("by-id")).isTrue();
            assertThat(log.topic(id)).isEmpty();
            assertThat(log.topic(UUID.randomUUID())).isEmpty();
        }
    }

    @Test
    void cleanReopenKeepsEveryBatchAndSkipsValidation() throws Exception {
        List<ByteBuffer> written = new ArrayList<>();
        try (LogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of("segment.bytes", "400", "index.interval.bytes", "100"))
                    .partition(0);
            for (int i = 0; i < 20; i++) {
                written.add(appendCommitted(p, 2, 100 + i));
            }
        }

        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.topic("t").orElseThrow().partition(0);
            assertThat(log.recoveredOnOpen()).isFalse();
            assertThat(log.segmentsValidatedOnOpen()).isZero();
            assertThat(p.logEndOffset()).isEqualTo(40);
            assertThat(p.highWatermark()).isEqualTo(40);
            assertThat(Slices.readAll(p, 0)).isEqualTo(Slices.bytes(TestBatches.concat(written.toArray(ByteBuffer[]::new))));
            assertThat(p.offsetForTimestamp(110)).get().extracting(t -> t.offset()).isEqualTo(20L);
            appendCommitted(p, 1, 200);
            assertThat(p.logEndOffset()).isEqualTo(41);
        }
        assertThat(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN)).exists();
    }

    @Test
    void failedOpenOfAnIndexClosesEveryFileAlreadyOpened() throws Exception {
        // Given a log with a few segments
        try (LogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of("segment.bytes", "400")).partition(0);
            for (int i = 0; i < 10; i++) {
                appendCommitted(p, 2, 100 + i);
            }
        }
        // When opening a time index fails with an I/O error
        List<FileChannel> opened = new ArrayList<>();
        ChannelFactory failingTimeIndex = path -> {
            if (path.toString().endsWith(TimeIndex.SUFFIX)) {
                throw new IOException("Input/output error: " + path);
            }
            FileChannel channel = ChannelFactory.DEFAULT.open(path);
            opened.add(channel);
            return channel;
        };
        assertThatThrownBy(() -> DefaultLogManager.open(LogManagerConfig.builder(dir).build(), failingTimeIndex))
                .hasMessageContaining("Input/output error");

        // Then the open fails, and no log or offset index file it had opened is left open
        assertThat(opened).isNotEmpty().noneMatch(FileChannel::isOpen);
    }

    @Test
    void openRemovesTheCleanShutdownMarker() {
        try (LogManager log = LogTestSupport.open(dir)) {
            log.createTopic("t", 1, Map.of());
        }

        try (LogManager log = LogTestSupport.open(dir)) {
            assertThat(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN)).doesNotExist();
        }
    }

    @Test
    void rejectsBadNamesCountsAndConfigs() {
        try (LogManager log = LogTestSupport.open(dir)) {
            assertThatThrownBy(() -> log.createTopic("", 1, Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.createTopic("..", 1, Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.createTopic("a/b", 1, Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.createTopic("x".repeat(250), 1, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.createTopic("ok", 0, Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.createTopic("ok", 1, Map.of("segment.bytes", "1")))
                    .isInstanceOf(InvalidConfigException.class);
            assertThat(log.createTopic("x".repeat(249), 1, Map.of()).name()).hasSize(249);
            assertThat(log.topics()).extracting(Topic::name).containsExactly("x".repeat(249));
        }
    }

    @Test
    void concurrentCreationOfOneNameHasOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (LogManager log = LogTestSupport.open(dir)) {
            List<Callable<Topic>> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                attempts.add(() -> log.createTopic("race", 2, Map.of()));
            }
            int winners = 0;
            int losers = 0;
            for (Future<Topic> f : pool.invokeAll(attempts)) {
                try {
                    f.get();
                    winners++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(TopicExistsException.class);
                    losers++;
                }
            }
            assertThat(winners).isEqualTo(1);
            assertThat(losers).isEqualTo(3);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void periodicFlusherForcesAsyncTopics() throws Exception {
        try (LogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("lazy", 1, Map.of("flush.ms", "20")).partition(0);
            appendCommitted(p, 1, 100);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (p.flushCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(p.flushCount()).isEqualTo(1);
        }
    }

    @Test
    void directoriesWithoutMetadataAreIgnoredAndReusedByCreate() throws Exception {
        Files.createDirectories(dir.resolve("ghost-0"));
        Files.write(dir.resolve("ghost-0").resolve("00000000000000000000.log"), new byte[100]);

        try (LogManager log = LogTestSupport.open(dir)) {
            assertThat(log.topics()).isEmpty();
            PartitionLog p = log.createTopic("ghost", 1, Map.of()).partition(0);
            assertThat(p.logEndOffset()).isZero();
            assertThat(p.sizeInBytes()).isZero();
        }
    }

    @Test
    void deletedTopicIsGoneAtOnceAndItsNameReusable() throws Exception {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            Topic old = log.createTopic("gone", 2, Map.of());
            ByteBuffer batch = appendCommitted(old.partition(1), 3, 100);
            io.tributary.log.LogSlice held = old.partition(1).read(0, 1000, Long.MAX_VALUE, true);

            assertThat(log.deleteTopic("gone")).isTrue();

            assertThat(log.topic("gone")).isEmpty();
            assertThat(log.deleteTopic("gone")).isFalse();
            assertThat(dir.resolve("gone-0")).doesNotExist();
            assertThat(Slices.bytes(held)).as("a held slice still reads").isEqualTo(Slices.bytes(batch));
            Topic fresh = log.createTopic("gone", 1, Map.of());
            assertThat(fresh.id()).isNotEqualTo(old.id());
            assertThat(fresh.partition(0).logEndOffset()).isZero();
            assertThat(log.topicsAwaitingDeletion()).isEqualTo(1);
        }
        Path leftover = Files.createDirectories(dir.resolve("gone-0.0123abcd-delete"));
        Files.write(leftover.resolve("00000000000000000000.log"), new byte[10]);

        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.topics()).extracting(Topic::name).containsExactly("gone");
            assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(TopicDirectory.DELETE_SUFFIX));
        }
    }

    @Test
    void deletedTopicFilesGoAfterTheDelay() throws Exception {
        try (DefaultLogManager log = DefaultLogManager.open(LogManagerConfig.builder(dir).fileDeleteDelayMs(50)
                .build(), ChannelFactory.DEFAULT)) {
            appendCommitted(log.createTopic("gone", 1, Map.of()).partition(0), 1, 100);

            log.deleteTopic("gone");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (log.topicsAwaitingDeletion() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(log.topicsAwaitingDeletion()).isZero();
            assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("gone"));
        }
    }

    @Test
    void retentionCheckIntervalMustBePositive() {
        assertThatThrownBy(() -> LogManager.open(LogManagerConfig.builder(dir).retentionCheckIntervalMs(0).build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("log.retention.check.interval.ms");
    }
}
