package io.tributary.log.internal;

import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.testing.MutableClock;
import io.tributary.log.testing.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class RetentionTest {
    /** Batches of 1 record with a 10-byte value are 78 bytes; 3 fit in a segment. */
    private static final String SEGMENT_BYTES = "240";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(10_000_000);
    private DefaultLogManager manager;

    private PartitionLog partition(long checkIntervalMs, long deleteDelayMs, Map<String, String> overrides) {
        manager = DefaultLogManager.open(LogManagerConfig.builder(dir).clock(clock)
                .retentionCheckIntervalMs(checkIntervalMs).fileDeleteDelayMs(deleteDelayMs).build(),
                ChannelFactory.DEFAULT);
        return manager.createTopic("t", 1, overrides).partition(0);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void sizeRetentionDeletesOldestSegmentsAndAdvancesTheStart() throws Exception {
        PartitionLog p = partition(3_600_000, 3_600_000, Map.of("segment.bytes", SEGMENT_BYTES,
                "retention.bytes", "500"));
        for (int i = 0; i < 10; i++) {
            appendCommitted(p, 1, clock.millis());
        }
        assertThat(DefaultPartitionLogTest.segments(p)).extracting(LogSegment::baseOffset)
                .containsExactly(0L, 3L, 6L, 9L);

        manager.checkRetentionNow();

        assertThat(DefaultPartitionLogTest.segments(p)).extracting(LogSegment::baseOffset).containsExactly(3L, 6L, 9L);
        assertThat(p.logStartOffset()).isEqualTo(3);
        assertThat(p.sizeInBytes()).as("deleting [3,6) too would go below retention.bytes")
                .isEqualTo(7L * TestBatches.batch(0, 1, 0).remaining());
        assertThatThrownBy(() -> p.read(2, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(p.read(3, 1000, Long.MAX_VALUE, true).firstOffset()).isEqualTo(3);
    }

    @Test
    void timeRetentionDeletesSegmentsWhoseNewestRecordExpired() throws Exception {
        PartitionLog p = partition(3_600_000, 3_600_000, Map.of("segment.bytes", SEGMENT_BYTES,
                "retention.ms", "1000"));
        long start = clock.millis();
        for (int i = 0; i < 7; i++) {
            appendCommitted(p, 1, start + i * 100);
        }
        clock.advance(1401);

        manager.checkRetentionNow();

        assertThat(p.logStartOffset()).as("segment [0,3) is older than 1000 ms, [3,6) is not").isEqualTo(3);
        assertThat(Slices.baseOffsets(p)).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void expiredActiveSegmentRollsAtTheNextAppendAndGoesNextTime() throws Exception {
        PartitionLog p = partition(3_600_000, 3_600_000, Map.of("retention.ms", "1000"));
        appendCommitted(p, 1, clock.millis());
        clock.advance(5000);

        manager.checkRetentionNow();
        appendCommitted(p, 1, clock.millis());
        manager.checkRetentionNow();

        assertThat(p.logStartOffset()).isEqualTo(1);
        assertThat(Slices.baseOffsets(p)).containsExactly(1L);
    }

    @Test
    void readersOfADeletedSegmentKeepWorkingUntilTheDelay() throws Exception {
        PartitionLog p = partition(3_600_000, 300, Map.of("segment.bytes", SEGMENT_BYTES, "retention.bytes", "0"));
        ByteBuffer first = appendCommitted(p, 1, clock.millis());
        for (int i = 0; i < 3; i++) {
            appendCommitted(p, 1, clock.millis());
        }
        LogSlice held = p.read(0, 1000, Long.MAX_VALUE, false);
        Path log = dir.resolve("t-0").resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));

        manager.checkRetentionNow();

        assertThat(log).doesNotExist();
        assertThat(log.resolveSibling(log.getFileName() + LogSegment.DELETED_SUFFIX)).exists();
        assertThat(Slices.bytes(new LogSlice(held.channel(), held.position(), first.remaining(), 0, 0)))
                .isEqualTo(Slices.bytes(first));
        awaitTrue(() -> manager.segmentsAwaitingDeletion() == 0);
        assertThat(log.resolveSibling(log.getFileName() + LogSegment.DELETED_SUFFIX)).doesNotExist();
        assertThat(held.channel().isOpen()).isFalse();
    }

    @Test
    void retentionRunsInTheBackground() throws Exception {
        PartitionLog p = partition(20, 50, Map.of("segment.bytes", SEGMENT_BYTES, "retention.bytes", "0"));
        for (int i = 0; i < 4; i++) {
            appendCommitted(p, 1, clock.millis());
        }

        awaitTrue(() -> p.logStartOffset() == 3);
        // the start offset moves before the segment reaches the reaper, so wait for the files too
        awaitTrue(() -> filesOfSegmentZero() == 0 && manager.segmentsAwaitingDeletion() == 0);

        assertThat(Files.list(dir.resolve("t-0")).map(f -> f.getFileName().toString()))
                .noneMatch(name -> name.startsWith(LogSegment.fileName(0, "")));
    }

    private long filesOfSegmentZero() {
        try (var files = Files.list(dir.resolve("t-0"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(LogSegment.fileName(0, ""))).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void deletedSegmentFilesAreRemovedAtCloseAndNotLoadedAgain() throws Exception {
        PartitionLog p = partition(3_600_000, 3_600_000, Map.of("segment.bytes", SEGMENT_BYTES,
                "retention.bytes", "0"));
        for (int i = 0; i < 4; i++) {
            appendCommitted(p, 1, clock.millis());
        }
        manager.checkRetentionNow();

        manager.close();
        manager = LogTestSupport.open(dir, clock);

        PartitionLog reopened = manager.topic("t").orElseThrow().partition(0);
        assertThat(reopened.logStartOffset()).isEqualTo(3);
        assertThat(reopened.logEndOffset()).isEqualTo(4);
        assertThat(Files.list(dir.resolve("t-0")).map(f -> f.getFileName().toString()))
                .noneMatch(name -> name.endsWith(LogSegment.DELETED_SUFFIX));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
