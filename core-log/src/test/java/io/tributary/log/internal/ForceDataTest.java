package io.tributary.log.internal;

import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.testing.TestBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PartitionLog#forceData()}, the pipeline's durable-acknowledgement force: one fsync of the data file per
 * call, no index; the recovery point moves only once the indexes are forced too (at the checkpoint), and after an
 * unclean stop whose unforced index pages were lost every forced batch is back, with its indexes rebuilt.
 */
@Timeout(20)
class ForceDataTest {
    private static final Map<String, String> SMALL_SEGMENTS_DENSE_INDEX = Map.of("segment.bytes", "400",
            "index.interval.bytes", "1");
    private static final int BATCHES = 12;

    @TempDir
    Path dir;

    /** Every channel the log opened, with its file, counting its forces; an index opened again adds one more. */
    private final Queue<Map.Entry<Path, FailingChannel>> channels = new ConcurrentLinkedQueue<>();

    private DefaultLogManager openCounting() {
        return DefaultLogManager.open(LogManagerConfig.builder(dir).clock(Clock.systemUTC())
                .retentionCheckIntervalMs(3_600_000).fileDeleteDelayMs(3_600_000).build(), path -> {
                    FailingChannel channel = new FailingChannel(ChannelFactory.DEFAULT.open(path), new AtomicBoolean());
                    channels.add(Map.entry(path, channel));
                    return channel;
                });
    }

    private int forcesOf(String suffix) {
        return channels.stream().filter(e -> e.getKey().getFileName().toString().endsWith(suffix))
                .mapToInt(e -> e.getValue().forces()).sum();
    }

    @Test
    void forceDataForcesOnlyTheDataFileAndLeavesTheRecoveryPointToTheCheckpoint() throws IOException {
        try (DefaultLogManager log = openCounting()) {
            // Given a partition whose every append adds index entries, and rolls segments
            DefaultPartitionLog p = (DefaultPartitionLog) log.createTopic("t", 1, SMALL_SEGMENTS_DENSE_INDEX)
                    .partition(0);

            // When each append is followed by forceData
            for (int i = 0; i < BATCHES; i++) {
                appendCommitted(p, 2, 1000 + i);
                p.forceData();
            }

            // Then each forced the data file once, never an index, and the recovery point has not moved
            assertThat(DefaultPartitionLogTest.segments(p)).hasSizeGreaterThanOrEqualTo(3);
            assertThat(forcesOf(LogSegment.LOG_SUFFIX)).isEqualTo(BATCHES);
            assertThat(p.flushCount()).isEqualTo(BATCHES);
            assertThat(forcesOf(OffsetIndex.SUFFIX)).isZero();
            assertThat(forcesOf(TimeIndex.SUFFIX)).isZero();
            assertThat(p.recoveryPoint()).isZero();

            // And the checkpoint forces the indexes (not the data again) before it claims the offsets
            log.checkpointRecoveryPointsNow();
            assertThat(forcesOf(LogSegment.LOG_SUFFIX)).isEqualTo(BATCHES);
            assertThat(forcesOf(OffsetIndex.SUFFIX)).isGreaterThanOrEqualTo(DefaultPartitionLogTest.segments(p).size());
            assertThat(forcesOf(TimeIndex.SUFFIX)).isGreaterThanOrEqualTo(DefaultPartitionLogTest.segments(p).size());
            assertThat(p.recoveryPoint()).isEqualTo(2L * BATCHES);
            assertThat(RecoveryPointCheckpoint.read(dir)).containsEntry("t-0", 2L * BATCHES);
        }
    }

    @Test
    void aFullFlushAfterForceDataForcesTheIndexesItLeft() throws IOException {
        try (DefaultLogManager log = openCounting()) {
            // Given appends whose data forceData forced
            DefaultPartitionLog p = (DefaultPartitionLog) log.createTopic("t", 1, SMALL_SEGMENTS_DENSE_INDEX)
                    .partition(0);
            for (int i = 0; i < BATCHES; i++) {
                appendCommitted(p, 2, 1000 + i);
                p.forceData();
            }
            int segments = DefaultPartitionLogTest.segments(p).size();

            // When the partition is flushed (as the periodic flusher of an async topic does)
            p.flush();

            // Then every segment's indexes were forced once, the data files not again
            assertThat(forcesOf(LogSegment.LOG_SUFFIX)).isEqualTo(BATCHES);
            assertThat(forcesOf(OffsetIndex.SUFFIX)).isEqualTo(segments);
            assertThat(forcesOf(TimeIndex.SUFFIX)).isEqualTo(segments);
            assertThat(p.recoveryPoint()).isEqualTo(2L * BATCHES);
            assertThat(p.indexesBehindData()).isFalse();
        }
    }

    @Test
    void afterAnUncleanStopThatLostTheUnforcedIndexesEveryForcedBatchIsBackAndIndexed() throws IOException {
        // Given batches acknowledged after forceData alone, and the recovery point checkpoint as it stood then
        List<ByteBuffer> written = new ArrayList<>();
        byte[] checkpointAtCrash;
        try (DefaultLogManager log = openCounting()) {
            DefaultPartitionLog p = (DefaultPartitionLog) log.createTopic("t", 1, SMALL_SEGMENTS_DENSE_INDEX)
                    .partition(0);
            for (int i = 0; i < BATCHES; i++) {
                written.add(appendCommitted(p, 2, 1000 + i));
                p.forceData();
            }
            RecoveryPointCheckpoint.write(dir, List.of(p));
            checkpointAtCrash = Files.readAllBytes(dir.resolve(RecoveryPointCheckpoint.FILE_NAME));
        }
        // When the process had died there (kill -9: no clean-shutdown marker) and the index pages, never
        // forced, did not reach the device
        Files.delete(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN));
        Files.write(dir.resolve(RecoveryPointCheckpoint.FILE_NAME), checkpointAtCrash);
        List<Path> indexes = indexFiles(dir.resolve("t-0"));
        assertThat(indexes).hasSizeGreaterThanOrEqualTo(6);
        for (Path index : indexes) {
            try (FileChannel channel = FileChannel.open(index, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
        }

        // Then the log opens with every segment validated, holds every batch, and finds them by offset and time
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.topic("t").orElseThrow().partition(0);
            assertThat(log.segmentsValidatedOnOpen()).isEqualTo(indexes.size() / 2);
            assertThat(p.logEndOffset()).isEqualTo(2L * BATCHES);
            assertThat(Slices.readAll(p, 0))
                    .isEqualTo(Slices.bytes(TestBatches.concat(written.toArray(ByteBuffer[]::new))));
            for (long offset = 0; offset < p.logEndOffset(); offset++) {
                assertThat(p.read(offset, 1, Long.MAX_VALUE, true).lastOffset()).isGreaterThanOrEqualTo(offset);
            }
            for (int i = 0; i < BATCHES; i++) {
                assertThat(p.offsetForTimestamp(1000 + i)).get().extracting(t -> t.offset()).isEqualTo(2L * i);
            }
            for (Path index : indexes) {
                assertThat(Files.size(index)).as("%s rebuilt", index.getFileName()).isPositive();
            }
        }
    }

    private static List<Path> indexFiles(Path partitionDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(partitionDir, "*index")) {
            entries.forEach(files::add);
        }
        return files;
    }
}
