package io.tributary.pipeline.internal;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.testing.MutableClock;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tributary.log.testing.TestBatches.batch;
import static io.tributary.pipeline.internal.Offers.append;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Producer state across a restart of the pipeline over a real {@link LogManager}: loaded from the
 * snapshot written at close when it fits the log, rebuilt from the log when it does not.
 */
@Timeout(60)
class ProducerStateRestartTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long EXPIRATION_MS = 10_000L;
    private static final Map<String, String> ASYNC = Map.of(LogConfig.FLUSH_POLICY, "async", LogConfig.FLUSH_MS, "3600000");
    private static final long PRODUCER = 42L;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);
    private LogManager log;
    private IngestPipeline pipeline;

    private Path data() {
        return dir.resolve("data");
    }

    private Path state() {
        return dir.resolve("state");
    }

    private Path snapshotFile() {
        return new ProducerSnapshotFiles(state()).fileOf("t", 0);
    }

    private PartitionLog open() {
        log = LogManager.open(LogManagerConfig.builder(data()).build());
        pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(state()).ringSize(64).clock(clock)
                .producerIdExpirationMs(EXPIRATION_MS).build());
        return log.topic("t").map(t -> t.partition(0)).orElseGet(() -> log.createTopic("t", 1, ASYNC).partition(0));
    }

    private void closeAll() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }

    @AfterEach
    void tearDown() {
        closeAll();
    }

    private ProducerStateLoader loads() {
        return ((DisruptorIngestPipeline) pipeline).producerStateLoads();
    }

    private static ByteBuffer idempotent(long producerId, int seq) {
        return batch().producer(producerId, 0, seq).build();
    }

    /** Appends sequences {@code [from, to)} of {@link #PRODUCER}, one batch of one record each. */
    private void appendSequences(PartitionLog partition, int from, int to) throws Exception {
        for (int seq = from; seq < to; seq++) {
            assertThat(append(pipeline, partition, idempotent(PRODUCER, seq)).error()).isEqualTo(AppendError.NONE);
        }
    }

    @Test
    void duplicateAfterACleanRestartIsAnsweredFromTheSnapshotWithoutScanningTheLog() throws Exception {
        // Given 20 batches of one producer and 10 plain ones, then a clean close and reopen
        PartitionLog partition = open();
        appendSequences(partition, 0, 20);
        for (int i = 0; i < 10; i++) {
            append(pipeline, partition, batch().build());
        }
        closeAll();
        partition = open();
        long end = partition.logEndOffset();

        // When the producer retries its 17th batch
        AppendResult retry = append(pipeline, partition, idempotent(PRODUCER, 17));

        // Then it gets the original offset, nothing is written, and the load read one header (the check)
        assertThat(retry.error()).isEqualTo(AppendError.NONE);
        assertThat(retry.baseOffset()).isEqualTo(17);
        assertThat(partition.logEndOffset()).isEqualTo(end);
        assertThat(loads().partitionsFromSnapshot()).isEqualTo(1);
        assertThat(loads().partitionsScanned()).isZero();
        assertThat(loads().batchesRead()).isEqualTo(1);
    }

    @Test
    void batchesAppendedAfterTheSnapshotAreReplayedFromTheLog() throws Exception {
        // Given a snapshot at offset 5, then 3 more batches whose run ended without a new snapshot
        PartitionLog partition = open();
        appendSequences(partition, 0, 5);
        closeAll();
        byte[] oldSnapshot = Files.readAllBytes(snapshotFile());
        partition = open();
        appendSequences(partition, 5, 8);
        closeAll();
        Files.write(snapshotFile(), oldSnapshot);

        // When reopened, and the producer retries a batch from before and one from after the snapshot
        partition = open();
        AppendResult before = append(pipeline, partition, idempotent(PRODUCER, 3));
        AppendResult after = append(pipeline, partition, idempotent(PRODUCER, 6));
        AppendResult next = append(pipeline, partition, idempotent(PRODUCER, 8));

        // Then both are duplicates with their offsets, the next is in sequence, and only the tail was read
        assertThat(before.baseOffset()).isEqualTo(3);
        assertThat(after.baseOffset()).isEqualTo(6);
        assertThat(next.baseOffset()).isEqualTo(8);
        assertThat(partition.logEndOffset()).isEqualTo(9);
        assertThat(loads().partitionsFromSnapshot()).isEqualTo(1);
        assertThat(loads().batchesRead()).isEqualTo(1 + 3);
    }

    @Test
    void snapshotNewerThanTheLogIsIgnoredAndTheStateRebuiltFromTheLog() throws Exception {
        // Given a log of 5 batches saved aside, then 5 more and a snapshot at offset 10
        PartitionLog partition = open();
        appendSequences(partition, 0, 5);
        closeAll();
        Path saved = dir.resolve("saved");
        copyTree(data(), saved);
        open();
        appendSequences(log.topic("t").orElseThrow().partition(0), 5, 10);
        closeAll();
        // the last five batches are lost, as if recovery had cut the tail
        deleteTree(data());
        copyTree(saved, data());

        // When reopened, and the producer sends its sixth batch again
        partition = open();
        boolean snapshotDeleted = !Files.exists(snapshotFile());
        AppendResult old = append(pipeline, partition, idempotent(PRODUCER, 2));
        AppendResult sixth = append(pipeline, partition, idempotent(PRODUCER, 5));

        // Then the snapshot was not used: the sixth batch is written, not taken for a duplicate
        assertThat(loads().partitionsFromSnapshot()).isZero();
        assertThat(loads().partitionsScanned()).isEqualTo(1);
        assertThat(snapshotDeleted).isTrue();
        assertThat(old.baseOffset()).isEqualTo(2);
        assertThat(sixth.error()).isEqualTo(AppendError.NONE);
        assertThat(partition.logEndOffset()).isEqualTo(6);
    }

    @Test
    void corruptSnapshotFallsBackToAFullScan() throws Exception {
        // Given a snapshot with one byte flipped
        PartitionLog partition = open();
        appendSequences(partition, 0, 8);
        closeAll();
        byte[] bytes = Files.readAllBytes(snapshotFile());
        bytes[bytes.length - 3] ^= 0x01;
        Files.write(snapshotFile(), bytes);

        // When
        partition = open();
        AppendResult retry = append(pipeline, partition, idempotent(PRODUCER, 6));

        // Then every batch was read and the duplicate is still found
        assertThat(loads().partitionsScanned()).isEqualTo(1);
        assertThat(loads().partitionsFromSnapshot()).isZero();
        assertThat(loads().batchesRead()).isEqualTo(8);
        assertThat(retry.baseOffset()).isEqualTo(6);
        assertThat(partition.logEndOffset()).isEqualTo(8);
    }

    @Test
    void snapshotOfAnotherLogWithTheSameNameIsIgnored() throws Exception {
        // Given the snapshot of a deleted t-0 (5 idempotent batches), left beside a new t-0 of 6 plain batches
        PartitionLog partition = open();
        appendSequences(partition, 0, 5);
        closeAll();
        byte[] oldSnapshot = Files.readAllBytes(snapshotFile());
        partition = open();
        assertThat(log.deleteTopic("t")).isTrue();
        partition = log.createTopic("t", 1, ASYNC).partition(0);
        for (int i = 0; i < 6; i++) {
            append(pipeline, partition, batch().build());
        }
        closeAll();
        Files.write(snapshotFile(), oldSnapshot);

        // When reopened, and the old producer's last batch comes again
        partition = open();
        AppendResult retry = append(pipeline, partition, idempotent(PRODUCER, 4));

        // Then the batch at offset 4 gave the snapshot away: the log was scanned and the batch is new here
        assertThat(loads().partitionsFromSnapshot()).isZero();
        assertThat(loads().partitionsScanned()).isEqualTo(1);
        assertThat(retry.baseOffset()).isEqualTo(6);
    }

    @Test
    void producersFromASnapshotStillExpireByTheirLastActivity() throws Exception {
        // Given producer 1 last active at NOW, producer 2 six seconds later, then a clean close
        PartitionLog partition = open();
        append(pipeline, partition, idempotent(1L, 0));
        clock.advance(6_000);
        append(pipeline, partition, idempotent(2L, 0));
        closeAll();

        // When reopened 12 s after producer 1's last batch, and both retry their batch
        clock.advance(6_000);
        partition = open();
        AppendResult first = append(pipeline, partition, idempotent(1L, 0));
        AppendResult second = append(pipeline, partition, idempotent(2L, 0));
        // and producer 2 retries again once it has been idle for longer than the expiration
        clock.advance(EXPIRATION_MS);
        AppendResult secondLater = append(pipeline, partition, idempotent(2L, 0));

        // Then producer 1 had expired (its batch is written again), producer 2 had not, until later
        assertThat(loads().partitionsFromSnapshot()).isEqualTo(1);
        assertThat(first.baseOffset()).isEqualTo(2);
        assertThat(second.baseOffset()).isEqualTo(1);
        assertThat(secondLater.baseOffset()).isEqualTo(3);
    }

    @Test
    void deletedPartitionsLoseTheirSnapshotsAndStrayOnesGoAtStart() throws Exception {
        // Given a snapshot of t-0 and a stray one of a topic that no longer exists
        PartitionLog partition = open();
        appendSequences(partition, 0, 2);
        closeAll();
        Path stray = new ProducerSnapshotFiles(state()).fileOf("gone", 3);
        Files.write(stray, new byte[] {1, 2, 3});

        // When reopened, then t is deleted
        partition = open();
        boolean strayDeletedAtStart = !Files.exists(stray);
        boolean keptAfterLoad = Files.exists(snapshotFile());
        assertThat(log.deleteTopic("t")).isTrue();
        pipeline.partitionDeleted(partition);

        // Then
        assertThat(strayDeletedAtStart).isTrue();
        assertThat(keptAfterLoad).isTrue();
        assertThat(snapshotFile()).doesNotExist();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
