package io.tributary.log.internal;

import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogSlice;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.log.UnknownTopicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.tributary.log.LogManagerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Adding partitions, altering topic configs and deleting records, each across a restart. */
@Timeout(10)
class TopicAdminTest {
    @TempDir
    Path dir;

    @Test
    void addedPartitionsAreWritableAndSurviveRestart() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            log.createTopic("t", 2, Map.of());

            Topic grown = log.createPartitions("t", 5);

            assertThat(grown.partitionCount()).isEqualTo(5);
            assertThat(log.topic("t").orElseThrow().partitionCount()).isEqualTo(5);
            appendCommitted(grown.partition(4), 3, 100);
        }
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            Topic reopened = log.topic("t").orElseThrow();
            assertThat(reopened.partitionCount()).isEqualTo(5);
            assertThat(reopened.partition(4).logEndOffset()).isEqualTo(3);
        }
    }

    @Test
    void creationsThatRunOutOfFilesLeaveNothingHalfMade() throws IOException {
        AtomicBoolean exhausted = new AtomicBoolean();
        ChannelFactory files = path -> {
            if (exhausted.get() && path.getParent().getFileName().toString().endsWith("-3")) {
                throw new FileSystemException(path.toString() + ": Too many open files");
            }
            return ChannelFactory.DEFAULT.open(path);
        };
        try (DefaultLogManager log = DefaultLogManager.open(LogManagerConfig.builder(dir)
                .retentionCheckIntervalMs(3_600_000).fileDeleteDelayMs(3_600_000).build(), files)) {
            log.createTopic("t", 2, Map.of());
            appendCommitted(log.topic("t").orElseThrow().partition(1), 2, 100);
            exhausted.set(true);

            assertThatThrownBy(() -> log.createPartitions("t", 6)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("Too many open files").hasMessageContaining("from 2 to 6");
            assertThatThrownBy(() -> log.createTopic("u", 5, Map.of())).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("Too many open files");

            assertThat(log.topic("t").orElseThrow().partitionCount()).isEqualTo(2);
            assertThat(log.topic("u")).isEmpty();
            assertThat(partitionDirs()).containsExactlyInAnyOrder("t-0", "t-1");
            exhausted.set(false);
            assertThat(log.createPartitions("t", 6).partitionCount()).as("a later attempt succeeds").isEqualTo(6);
        }
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.topic("t").orElseThrow().partitionCount()).isEqualTo(6);
            assertThat(log.topic("t").orElseThrow().partition(1).logEndOffset()).isEqualTo(2);
            assertThat(log.topic("u")).isEmpty();
        }
    }

    private Set<String> partitionDirs() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void partitionCountMustGrow() {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            log.createTopic("t", 3, Map.of());

            assertThatThrownBy(() -> log.createPartitions("t", 3)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.createPartitions("t", 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.createPartitions("nope", 4)).isInstanceOf(UnknownTopicException.class);
            assertThat(log.topic("t").orElseThrow().partitionCount()).isEqualTo(3);
        }
    }

    @Test
    void alteredConfigAppliesToLivePartitionsAndSurvivesRestart() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of("retention.ms", "1000")).partition(0);
            appendCommitted(p, 1, 100);

            log.alterTopicConfig("t", Map.of("segment.bytes", "100", "max.message.bytes", "2000"));

            assertThat(p.config().segmentBytes()).isEqualTo(100);
            assertThat(p.config().maxMessageBytes()).isEqualTo(2000);
            assertThat(p.config().retentionMs()).as("dropped override reverts to the default")
                    .isEqualTo(log.defaultConfig().retentionMs());
            appendCommitted(p, 1, 100);
            appendCommitted(p, 1, 100);
            assertThat(DefaultPartitionLogTest.segments(p)).as("the new segment.bytes rolls").hasSizeGreaterThan(1);
        }
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            Topic reopened = log.topic("t").orElseThrow();
            assertThat(reopened.configOverrides()).containsOnly(Map.entry("segment.bytes", "100"),
                    Map.entry("max.message.bytes", "2000"));
            assertThat(reopened.partition(0).config().segmentBytes()).isEqualTo(100);
        }
    }

    @Test
    void alteredFlushIntervalReschedulesThePeriodicFlush() throws Exception {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of("flush.ms", "3600000")).partition(0);
            appendCommitted(p, 1, 100);

            log.alterTopicConfig("t", Map.of("flush.ms", "20"));

            long deadline = System.nanoTime() + 5_000_000_000L;
            while (p.flushCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(p.flushCount()).as("flushed by the new 20 ms schedule").isPositive();
        }
    }

    @Test
    void invalidConfigChangesNothing() {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            log.createTopic("t", 1, Map.of("retention.ms", "1000"));

            assertThatThrownBy(() -> log.alterTopicConfig("t", Map.of("retention.ms", "soon")))
                    .isInstanceOf(InvalidConfigException.class).hasMessageContaining("retention.ms");
            assertThatThrownBy(() -> log.alterTopicConfig("nope", Map.of()))
                    .isInstanceOf(UnknownTopicException.class);
            assertThat(log.topic("t").orElseThrow().configOverrides()).containsOnly(Map.entry("retention.ms", "1000"));
        }
    }

    @Test
    void deleteRecordsHidesOffsetsBelowAndRetentionRemovesWholeSegments() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of("segment.bytes", "240")).partition(0);
            for (int i = 0; i < 7; i++) {
                appendCommitted(p, 1, System.currentTimeMillis());
            }
            assertThat(DefaultPartitionLogTest.segments(p)).extracting(LogSegment::baseOffset)
                    .containsExactly(0L, 3L, 6L);

            long start = p.deleteRecordsBefore(4);

            assertThat(start).isEqualTo(4);
            assertThatThrownBy(() -> p.read(3, 1000, 7, true)).isInstanceOf(OffsetOutOfRangeException.class);
            LogSlice slice = p.read(4, 1000, 7, true);
            assertThat(slice.lastOffset()).isGreaterThanOrEqualTo(4);
            log.checkRetentionNow();
            assertThat(DefaultPartitionLogTest.segments(p)).extracting(LogSegment::baseOffset)
                    .containsExactly(3L, 6L);
            assertThat(p.logStartOffset()).as("retention never lowers it to the segment base").isEqualTo(4);
            assertThat(p.deleteRecordsBefore(2)).as("a lower offset changes nothing").isEqualTo(4);
        }
    }

    @Test
    void deleteRecordsAboveHighWatermarkIsOutOfRange() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of()).partition(0);
            appendCommitted(p, 2, 100);

            assertThatThrownBy(() -> p.deleteRecordsBefore(3)).isInstanceOf(OffsetOutOfRangeException.class);
            assertThatThrownBy(() -> p.deleteRecordsBefore(-1)).isInstanceOf(OffsetOutOfRangeException.class);
            assertThat(p.deleteRecordsBefore(2)).isEqualTo(2);
        }
    }

    @Test
    void logStartOffsetSurvivesCleanAndUncleanRestart() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of()).partition(0);
            for (int i = 0; i < 5; i++) {
                appendCommitted(p, 1, 100);
            }
            p.deleteRecordsBefore(3);
            p.flush();
        }
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.topic("t").orElseThrow().partition(0).logStartOffset()).isEqualTo(3);
        }
        Files.delete(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN));
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.recoveredOnOpen()).isTrue();
            assertThat(log.topic("t").orElseThrow().partition(0).logStartOffset()).isEqualTo(3);
        }
    }

    @Test
    void recreatedTopicDoesNotInheritTheDeletedOnesStartOffset() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of()).partition(0);
            appendCommitted(p, 5, 100);
            p.deleteRecordsBefore(5);
            log.deleteTopic("t");
            PartitionLog fresh = log.createTopic("t", 1, Map.of()).partition(0);
            appendCommitted(fresh, 5, 100);
        }
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.topic("t").orElseThrow().partition(0).logStartOffset()).isZero();
        }
    }
}
