package io.tributary.pipeline.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.tributary.log.LogConfig;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tributary.log.testing.TestBatches.batch;
import static io.tributary.pipeline.internal.Offers.append;
import static io.tributary.pipeline.internal.Offers.awaitSequenced;
import static io.tributary.pipeline.internal.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the journal does when storage fails under it: once the log takes a partition offline (a
 * failed fsync, in the journal or the log's background flusher, or a write the log could not cut
 * back), no append to it succeeds. Over {@link InMemoryPartitionLogDouble}s told to fail, which go
 * offline as the real log does but do not log; that the real log logs it once is in
 * {@link StorageFailureTest}.
 */
@Timeout(120)
class JournalHandlerTest {
    private static final Map<String, String> SYNC = Map.of(LogConfig.FLUSH_POLICY, "sync");

    @TempDir
    Path stateDir;

    private final Logger pipelineLogger = (Logger) LoggerFactory.getLogger("io.tributary.pipeline");
    private final WarningsAndErrors logged = new WarningsAndErrors();
    private IngestPipeline pipeline;

    @BeforeEach
    void start() {
        logged.start();
        pipelineLogger.addAppender(logged);
        pipeline = IngestPipeline.start(Offers.noTopics(), PipelineConfig.builder().stateDir(stateDir).ringSize(64)
                .build());
    }

    @AfterEach
    void close() {
        pipeline.close();
        pipelineLogger.detachAppender(logged);
    }

    @Test
    void failedFsyncFailsItsAppendsAndEveryLaterAppendFailsFast() throws Exception {
        // Given a sync partition holding one acknowledged batch, whose next fsync fails
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", SYNC);
        assertThat(append(pipeline, log, batch().build()).error()).isEqualTo(AppendError.NONE);
        log.failNextFlushes(1);
        AppendResult failed = append(pipeline, log, batch().build());

        // When the producer goes on
        AppendResult later = append(pipeline, log, batch().build());

        // Then the failed batch is reported, and the later one fails without being written
        assertThat(failed.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(failed.message()).contains("partition t-0 is offline since the fsync at offset 1 failed")
                .contains("injected fsync failure");
        assertThat(later.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(later.message()).contains("partition t-0 is offline since the fsync at offset 1 failed")
                .contains("restart the broker");
        assertThat(log.appendCalls()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(1);
        assertThat(log.flushCount()).isEqualTo(1);
        // and the pipeline logged nothing: the log reports a partition going offline, once
        assertThat(logged.events).isEmpty();
    }

    @Test
    void failedBackgroundFlushFailsTheNextAppendsWithoutWritingOrLogging() throws Exception {
        // Given an async partition holding one batch, which the log's background flusher then failed to force
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of(LogConfig.FLUSH_POLICY, "async"));
        assertThat(append(pipeline, log, batch().build()).error()).isEqualTo(AppendError.NONE);
        log.failBackgroundFlush();

        // When the producer goes on
        AppendResult next = append(pipeline, log, batch().build());
        AppendResult after = append(pipeline, log, batch().build());

        // Then both fail with the log's reason, neither reached the log, and the pipeline logged nothing
        assertThat(next.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(next.message()).contains("partition t-0 is offline since the fsync at offset 0 failed")
                .contains("restart the broker");
        assertThat(after.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(log.appendCalls()).isEqualTo(1);
        assertThat(log.highWatermark()).isEqualTo(1);
        assertThat(logged.events).isEmpty();
    }

    @Test
    void appendsNumberedBeforeThePartitionWentOfflineAreNotWrittenAndTheHighWatermarkStaysBelowTheFailedBytes()
            throws Exception {
        // Given a sync partition at high watermark 1, and a write held in the journal while two
        // more appends are numbered behind it
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", SYNC);
        append(pipeline, log, batch().build());
        List<Long> published = new CopyOnWriteArrayList<>();
        pipeline.addCommitListener((partition, highWatermark) -> published.add(highWatermark));
        CountDownLatch gate = new CountDownLatch(1);
        log.holdNextAppend(gate);
        CompletableFuture<AppendResult> held = offer(pipeline, log, batch().records(2).build());
        log.awaitHeldAppend();
        CompletableFuture<AppendResult> behind1 = offer(pipeline, log, batch().build());
        CompletableFuture<AppendResult> behind2 = offer(pipeline, log, batch().records(3).build());
        awaitSequenced(pipeline);

        // When the held write's fsync fails
        log.failNextFlushes(1);
        gate.countDown();

        // Then all three fail, only the held one reached the log, and no high watermark past 1 was
        // ever published, not even after one more append
        assertThat(held.get(30, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(behind1.get(30, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(behind2.get(30, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(append(pipeline, log, batch().build()).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(log.appendCalls()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.highWatermark()).isEqualTo(1);
        assertThat(published).noneMatch(highWatermark -> highWatermark > 1);
    }

    @Test
    void anotherPartitionInTheSameRingBatchStillSucceeds() throws Exception {
        // Given sync partitions a and b with one append each queued behind a write held in the
        // journal (to a third partition), so both are journaled in one ring batch
        InMemoryPartitionLogDouble a = new InMemoryPartitionLogDouble("a", SYNC);
        InMemoryPartitionLogDouble b = new InMemoryPartitionLogDouble("b", SYNC);
        InMemoryPartitionLogDouble holder = new InMemoryPartitionLogDouble("holder", Map.of());
        CountDownLatch gate = new CountDownLatch(1);
        holder.holdNextAppend(gate);
        CompletableFuture<AppendResult> held = offer(pipeline, holder, batch().build());
        holder.awaitHeldAppend();
        CompletableFuture<AppendResult> toA = offer(pipeline, a, batch().build());
        CompletableFuture<AppendResult> toB = offer(pipeline, b, batch().build());
        awaitSequenced(pipeline);

        // When a's fsync fails
        a.failNextFlushes(1);
        gate.countDown();

        // Then only a's append fails, and only a goes offline
        assertThat(held.get(30, TimeUnit.SECONDS).error()).isEqualTo(AppendError.NONE);
        assertThat(toA.get(30, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(toB.get(30, TimeUnit.SECONDS).error()).isEqualTo(AppendError.NONE);
        assertThat(b.highWatermark()).isEqualTo(1);
        AppendResult nextToB = append(pipeline, b, batch().build());
        AppendResult nextToA = append(pipeline, a, batch().build());
        assertThat(nextToB.error()).isEqualTo(AppendError.NONE);
        assertThat(nextToB.baseOffset()).isEqualTo(1);
        assertThat(b.highWatermark()).isEqualTo(2);
        assertThat(nextToA.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(nextToA.message()).contains("partition a-0 is offline");
        assertThat(a.highWatermark()).isZero();
    }

    @Test
    void idempotentRetryOfABatchWhoseFsyncFailedIsNotAcknowledged() throws Exception {
        // Given producer 7's first batch failed in its fsync
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", SYNC);
        log.failNextFlushes(1);
        assertThat(append(pipeline, log, batch().producer(7, 0, 0).build()).error())
                .isEqualTo(AppendError.STORAGE_ERROR);

        // When the producer retries it
        AppendResult retry = append(pipeline, log, batch().producer(7, 0, 0).build());

        // Then it is not taken for a written duplicate
        assertThat(retry.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(retry.baseOffset()).isEqualTo(-1);
        assertThat(log.highWatermark()).isZero();
    }

    @Test
    void idempotentRetryJournaledWithItsOriginalWaitsForTheOriginalsFsync() throws Exception {
        // Given producer 7's batch and its retry queued behind a write held in the journal, so the
        // retry is numbered as a duplicate before the original's fsync, in the same ring batch
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", SYNC);
        InMemoryPartitionLogDouble holder = new InMemoryPartitionLogDouble("holder", Map.of());
        CountDownLatch gate = new CountDownLatch(1);
        holder.holdNextAppend(gate);
        offer(pipeline, holder, batch().build());
        holder.awaitHeldAppend();
        CompletableFuture<AppendResult> original = offer(pipeline, log, batch().producer(7, 0, 0).build());
        CompletableFuture<AppendResult> retry = offer(pipeline, log, batch().producer(7, 0, 0).build());
        awaitSequenced(pipeline);

        // When the original's fsync fails
        log.failNextFlushes(1);
        gate.countDown();

        // Then the retry fails with it
        assertThat(original.get(30, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(retry.get(30, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(log.batches()).hasSize(1);
        assertThat(log.highWatermark()).isZero();
    }

    @Test
    void failedWriteWhoseCutBackAlsoFailedTakesThePartitionOffline() throws Exception {
        // Given a write that fails, and whose cut-back fails too
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        append(pipeline, log, batch().records(2).build());
        log.failNextAppendAndItsCutBack();
        AppendResult failed = append(pipeline, log, batch().build());

        // When the producer goes on
        AppendResult later = append(pipeline, log, batch().build());

        // Then the later append fails without being written, and the partition was not resynced
        // (a resync logs a WARN) as if it could go on
        assertThat(failed.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(later.error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(later.message())
                .contains("partition t-0 is offline since the write and its cut-back at offset 2 failed");
        assertThat(log.appendCalls()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(logged.events).isEmpty();
    }

    /** Keeps the WARN and ERROR lines the pipeline logs during a test. */
    private static final class WarningsAndErrors extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                events.add(event);
            }
        }
    }
}
