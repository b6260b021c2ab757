package io.tributary.pipeline.internal;

import io.tributary.log.LogConfig;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.testing.MutableClock;
import io.tributary.log.testing.TestBatches;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.tributary.log.testing.TestBatches.batch;
import static io.tributary.pipeline.internal.Offers.append;
import static io.tributary.pipeline.internal.Offers.awaitSequenced;
import static io.tributary.pipeline.internal.Offers.offer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sequencing rules through the whole pipeline, over {@link InMemoryPartitionLogDouble} (a test
 * double: these tests are about offsets, idempotence and failure handling, not durability).
 */
@Timeout(20)
class PipelineSequencingTest {
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(NOW);
    private IngestPipeline pipeline;

    private IngestPipeline start(int ringSize, long producerExpirationMs) {
        pipeline = IngestPipeline.start(Offers.noTopics(), PipelineConfig.builder().stateDir(stateDir)
                .ringSize(ringSize).clock(clock).producerIdExpirationMs(producerExpirationMs).build());
        return pipeline;
    }

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void assignsContiguousOffsetsAcrossBatchesAndOffers() throws Exception {
        // Given
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 60_000);

        // When an offer of one 3-record batch, then one of two batches (2 and 1 records)
        AppendResult first = append(pipeline, log, batch().records(3).build());
        AppendResult second = append(pipeline, log, TestBatches.concat(batch().records(2).build(), batch().build()));

        // Then
        assertThat(first.error()).isEqualTo(AppendError.NONE);
        assertThat(first.baseOffset()).isZero();
        assertThat(second.baseOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(log.highWatermark()).isEqualTo(6);
        assertThat(log.batches()).extracting(b -> b.getLong(0)).containsExactly(0L, 3L, 5L);
        assertThat(first.logAppendTime()).isEqualTo(-1);
    }

    @Test
    void duplicateOfAWrittenBatchGetsItsOriginalOffsetAndIsNotWrittenAgain() throws Exception {
        // Given producer 5 wrote sequences 0-1 then 2
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 60_000);
        append(pipeline, log, batch().records(3).build());
        AppendResult original = append(pipeline, log, batch().producer(5, 0, 0).records(2).build());
        append(pipeline, log, batch().producer(5, 0, 2).build());

        // When the first batch is retried
        AppendResult retry = append(pipeline, log, batch().producer(5, 0, 0).records(2).build());

        // Then
        assertThat(retry.error()).isEqualTo(AppendError.NONE);
        assertThat(retry.baseOffset()).isEqualTo(original.baseOffset()).isEqualTo(3);
        assertThat(log.batches()).hasSize(3);
        assertThat(log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void enforcesSequenceAndEpochRules() throws Exception {
        // Given producer 5 at epoch 1 with sequences 0..0 written
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 60_000);
        assertThat(append(pipeline, log, batch().producer(5, 1, 0).build()).error()).isEqualTo(AppendError.NONE);

        // When / Then
        assertThat(append(pipeline, log, batch().producer(5, 1, 2).build()).error())
                .isEqualTo(AppendError.OUT_OF_ORDER_SEQUENCE);
        assertThat(append(pipeline, log, batch().producer(5, 0, 1).build()).error())
                .isEqualTo(AppendError.INVALID_PRODUCER_EPOCH);
        assertThat(append(pipeline, log, batch().producer(5, 2, 1).build()).error())
                .isEqualTo(AppendError.OUT_OF_ORDER_SEQUENCE);
        assertThat(append(pipeline, log, batch().producer(5, 2, 0).build()).error()).isEqualTo(AppendError.NONE);
        assertThat(append(pipeline, log, batch().producer(5, 2, 1).build()).error()).isEqualTo(AppendError.NONE);
        // a producer this partition never saw is accepted at any sequence (Kafka 4, KIP-360)
        assertThat(append(pipeline, log, batch().producer(6, 0, 17).build()).error()).isEqualTo(AppendError.NONE);
        assertThat(log.batches()).hasSize(4);
        AppendResult rejected = append(pipeline, log, batch().producer(6, 0, 19).build());
        assertThat(rejected.baseOffset()).isEqualTo(-1);
        assertThat(rejected.message()).contains("producer 6");
    }

    @Test
    void idleProducersExpire() throws Exception {
        // Given producer 5 wrote sequence 0, and the expiration is 1 s
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 1000);
        append(pipeline, log, batch().producer(5, 0, 0).build());
        assertThat(append(pipeline, log, batch().producer(5, 0, 7).build()).error())
                .isEqualTo(AppendError.OUT_OF_ORDER_SEQUENCE);

        // When it stays idle for longer than that
        clock.advance(1500);

        // Then it is unknown again, so any sequence is accepted
        assertThat(append(pipeline, log, batch().producer(5, 0, 7).build()).error()).isEqualTo(AppendError.NONE);
    }

    @Test
    void stampsLogAppendTimeAndKeepsTheCrcValid() throws Exception {
        // Given a LogAppendTime topic
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t",
                Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        start(64, 60_000);

        // When
        AppendResult result = append(pipeline, log, batch().producer(3, 0, 0).records(4).timestamp(5).build());
        AppendResult duplicate = append(pipeline, log, batch().producer(3, 0, 0).records(4).timestamp(5).build());

        // Then
        assertThat(result.logAppendTime()).isEqualTo(NOW);
        assertThat(duplicate.logAppendTime()).isEqualTo(NOW);
        RecordBatchHeader stored = new RecordBatchHeader().wrap(log.batches().get(0), 0);
        assertThat(stored.isLogAppendTime()).isTrue();
        assertThat(stored.maxTimestamp()).isEqualTo(NOW);
        assertThat(stored.isCrcValid()).isTrue();
    }

    @Test
    void validationFailureIsReportedOnTheCallingThread() {
        // Given a batch with a broken CRC
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 60_000);
        ByteBuffer bad = batch().build();
        bad.put(bad.limit() - 1, (byte) 7);
        AtomicReference<AppendResult> seen = new AtomicReference<>();
        AtomicReference<Thread> thread = new AtomicReference<>();

        // When
        OfferResult offered = pipeline.offer(log, bad, r -> {
            seen.set(r);
            thread.set(Thread.currentThread());
        });

        // Then
        assertThat(offered).isEqualTo(OfferResult.ACCEPTED);
        assertThat(seen.get().error()).isEqualTo(AppendError.CORRUPT_MESSAGE);
        assertThat(thread.get()).isSameAs(Thread.currentThread());
        assertThat(log.batches()).isEmpty();
    }

    @Test
    void failedWriteFailsLaterEventsNumberedPastItAndThePartitionResumesAtTheLogEnd() throws Exception {
        // Given a write held in the journal while three more appends are numbered behind it:
        // another batch, a retry of the held idempotent batch, and a plain batch
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 60_000);
        append(pipeline, log, batch().records(2).build());
        CountDownLatch gate = new CountDownLatch(1);
        log.holdNextAppend(gate);
        CompletableFuture<AppendResult> held = offer(pipeline, log, batch().producer(9, 0, 0).build());
        log.awaitHeldAppend();
        CompletableFuture<AppendResult> retryOfHeld = offer(pipeline, log, batch().producer(9, 0, 0).build());
        CompletableFuture<AppendResult> behind = offer(pipeline, log, batch().records(3).build());

        // When the held write fails
        awaitSequenced(pipeline);
        log.failNextAppends(1);
        gate.countDown();

        // Then all three fail, nothing is written past offset 2
        assertThat(held.get(5, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(retryOfHeld.get(5, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(behind.get(5, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        assertThat(log.logEndOffset()).isEqualTo(2);

        // and the producer's next try of that batch is written (not taken for a duplicate) at the log end
        AppendResult retried = append(pipeline, log, batch().producer(9, 0, 0).build());
        AppendResult next = append(pipeline, log, batch().build());
        assertThat(retried.error()).isEqualTo(AppendError.NONE);
        assertThat(retried.baseOffset()).isEqualTo(2);
        assertThat(next.baseOffset()).isEqualTo(3);
        assertThat(log.batches()).extracting(b -> b.getLong(0)).containsExactly(0L, 2L, 3L);
        assertThat(log.highWatermark()).isEqualTo(4);
    }

    @Test
    void appendsQueuedTogetherAreWrittenInOneCallAndFailTogether() throws Exception {
        // Given a write held in the journal while three appends queue behind it, and the write
        // after the held one will fail
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 60_000);
        CountDownLatch gate = new CountDownLatch(1);
        log.holdNextAppend(gate);
        log.failAppendsAfter(1, 1);
        CompletableFuture<AppendResult> held = offer(pipeline, log, batch().build());
        log.awaitHeldAppend();
        List<CompletableFuture<AppendResult>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(offer(pipeline, log, batch().records(2).build()));
        }

        // When the held write goes through
        awaitSequenced(pipeline);
        gate.countDown();

        // Then the three queued appends went to the log in one call, and all failed with it
        assertThat(held.get(5, TimeUnit.SECONDS).error()).isEqualTo(AppendError.NONE);
        for (CompletableFuture<AppendResult> f : queued) {
            assertThat(f.get(5, TimeUnit.SECONDS).error()).isEqualTo(AppendError.STORAGE_ERROR);
        }
        assertThat(log.appendCalls()).isEqualTo(2);
        // and the partition continues right after the held write
        assertThat(append(pipeline, log, batch().build()).baseOffset()).isEqualTo(1);
        assertThat(log.batches()).extracting(b -> b.getLong(0)).containsExactly(0L, 1L);
    }

    @Test
    void appendsQueuedTogetherAreWrittenInOneCall() throws Exception {
        // Given a write held in the journal while ten appends queue behind it
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 60_000);
        CountDownLatch gate = new CountDownLatch(1);
        log.holdNextAppend(gate);
        CompletableFuture<AppendResult> held = offer(pipeline, log, batch().build());
        log.awaitHeldAppend();
        List<CompletableFuture<AppendResult>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(offer(pipeline, log, batch().tag(i).build()));
        }

        // When
        awaitSequenced(pipeline);
        gate.countDown();

        // Then two calls wrote all eleven, in order, each intact
        assertThat(held.get(5, TimeUnit.SECONDS).baseOffset()).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(queued.get(i).get(5, TimeUnit.SECONDS).baseOffset()).isEqualTo(i + 1);
        }
        assertThat(log.appendCalls()).isEqualTo(2);
        List<ByteBuffer> stored = log.batches();
        assertThat(stored).hasSize(11);
        for (int i = 1; i <= 10; i++) {
            assertThat(TestBatches.tagOf(stored.get(i), 0)).isEqualTo(i - 1);
            assertThat(new RecordBatchHeader().wrap(stored.get(i), 0).isCrcValid()).isTrue();
        }
    }

    @Test
    void stageWaitingForASlowJournalDoesNotSpin() throws Exception {
        // Given the journal stuck in a write with more appends behind it, so the commit stage has
        // published events to wait for, held by the stage before it
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(64, 60_000);
        CountDownLatch gate = new CountDownLatch(1);
        log.holdNextAppend(gate);
        CompletableFuture<AppendResult> held = offer(pipeline, log, batch().build());
        log.awaitHeldAppend();
        for (int i = 0; i < 10; i++) {
            offer(pipeline, log, batch().build());
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Long> commitThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("tributary-ingest-commit") && t.isAlive())
                .map(Thread::getId).toList();
        long before = commitThreads.stream().mapToLong(threads::getThreadCpuTime).sum();

        // When the journal stays stuck for half a second
        Thread.sleep(500);
        long used = commitThreads.stream().mapToLong(threads::getThreadCpuTime).sum() - before;
        gate.countDown();

        // Then the commit stage slept through it
        assertThat(commitThreads).isNotEmpty();
        assertThat(used).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(held.get(5, TimeUnit.SECONDS).error()).isEqualTo(AppendError.NONE);
    }

    @Test
    void fullRingIsBackPressureAndEveryAcceptedAppendStillCompletes() throws Exception {
        // Given a ring of 4 slots whose commit stage is stuck in a listener
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of());
        start(4, 60_000);
        CountDownLatch release = new CountDownLatch(1);
        pipeline.addCommitListener((p, hw) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        // When offers keep coming
        List<CompletableFuture<AppendResult>> accepted = new ArrayList<>();
        OfferResult last = OfferResult.ACCEPTED;
        for (int i = 0; i < 50 && last == OfferResult.ACCEPTED; i++) {
            CompletableFuture<AppendResult> f = new CompletableFuture<>();
            last = pipeline.offer(log, batch().build(), f::complete);
            if (last == OfferResult.ACCEPTED) {
                accepted.add(f);
            }
        }

        // Then the offer is refused once the ring is full, without blocking
        assertThat(last).isEqualTo(OfferResult.BACK_PRESSURED);
        assertThat(accepted.size()).isBetween(4, 5);
        release.countDown();
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(accepted.get(i).get(5, TimeUnit.SECONDS).baseOffset()).isEqualTo(i);
        }
    }

    @Test
    void closeDrainsAcceptedAppendsThenRefusesOffers() {
        // Given many appends accepted
        InMemoryPartitionLogDouble log = new InMemoryPartitionLogDouble("t", Map.of(LogConfig.FLUSH_POLICY, "sync"));
        start(256, 60_000);
        List<CompletableFuture<AppendResult>> accepted = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            accepted.add(offer(pipeline, log, batch().build()));
        }

        // When
        pipeline.close();

        // Then
        assertThat(accepted).allMatch(f -> f.isDone() && f.join().error() == AppendError.NONE);
        assertThat(log.logEndOffset()).isEqualTo(200);
        assertThat(pipeline.offer(log, batch().build(), r -> { })).isEqualTo(OfferResult.CLOSED);
    }
}
