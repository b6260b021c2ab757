package io.tributary.transactions;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.testing.TestBatches;
import io.tributary.pipeline.AppendCallback;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.CommitListener;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.PipelineConfig;
import io.tributary.pipeline.ProducerIdAllocator;
import io.tributary.pipeline.TransactionView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TransactionCoordinator#endTransaction(String, long, short, MarkerType, Durability)} with FSYNC (a JMS
 * transacted session's commit, decision 0032): on {@code async} topics that are never flushed in the background
 * (flush.ms one hour), the decision is forced before the answer and the markers before the transaction completes;
 * with the flush policy nothing is forced. Over a real log and pipeline, counting each partition's fsyncs.
 */
@Timeout(60)
class DurableCommitTest {
    private static final Map<String, String> NEVER_FLUSHED = Map.of(LogConfig.FLUSH_POLICY, "async",
            LogConfig.FLUSH_MS, "3600000");

    @TempDir
    Path dir;

    private LogManager log;
    private IngestPipeline pipeline;
    private TransactionCoordinator coordinator;
    private PartitionLog p0;

    private void start(PipelineWrapper pipelines) {
        log = LogManager.open(LogManagerConfig.builder(dir).defaults(LogConfig.defaults().withOverrides(NEVER_FLUSHED))
                .build());
        pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir).ringSize(64).build());
        p0 = log.topic("t").orElseGet(() -> log.createTopic("t", 1, Map.of())).partition(0);
        coordinator = TransactionCoordinator.start(new TransactionConfig(120_000, 20, 3_600_000), log,
                pipelines.wrap(pipeline), (group, offsets) -> CompletableFuture.completedFuture(null),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.close();
            pipeline.close();
            log.close();
        }
    }

    @Test
    void anFsyncCommitIsAnsweredOnceItsDecisionIsForcedAndCompletesOnceItsMarkerIsForced() throws Exception {
        // Given an open transaction with a record in t-0, written as the flush policy says (not forced)
        List<Long> stateFlushesAtMarkerOffers = new CopyOnWriteArrayList<>();
        start(real -> new MarkerOfferWatchingPipeline(real,
                () -> stateFlushesAtMarkerOffers.add(statePartition().flushCount())));
        InitProducerIdResult id = openTransactionWithOneRecord();
        long stateFlushes = statePartition().flushCount();
        assertThat(p0.flushCount()).isZero();

        // When it commits asking for FSYNC
        long stateFlushesAtAnswer = coordinator.endTransaction("a", id.producerId(), id.producerEpoch(),
                MarkerType.COMMIT, Durability.FSYNC).thenApply(error -> {
                    assertThat(error).isEqualTo(TxnError.NONE);
                    return statePartition().flushCount();
                }).get(10, TimeUnit.SECONDS);

        // Then __transaction_state had been forced when the answer came, and the marker is forced by the time
        // the transaction completes
        assertThat(stateFlushesAtAnswer).isGreaterThan(stateFlushes);
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(p0.flushCount()).isPositive();
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        // and the marker was offered only once the decision had been forced: no marker on the device without it
        assertThat(stateFlushesAtMarkerOffers).hasSize(1).allSatisfy(flushes -> assertThat(flushes)
                .isGreaterThan(stateFlushes));
    }

    @Test
    void aCommitFollowingTheFlushPolicyForcesNothing() throws Exception {
        // Given an open transaction with a record in t-0
        start(real -> real);
        InitProducerIdResult id = openTransactionWithOneRecord();
        long stateFlushes = statePartition().flushCount();

        // When it commits as a Kafka client's EndTxn does
        assertThat(coordinator.endTransaction("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT)
                .get(10, TimeUnit.SECONDS)).isEqualTo(TxnError.NONE);

        // Then neither the decision nor the marker was forced
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(statePartition().flushCount()).isEqualTo(stateFlushes);
        assertThat(p0.flushCount()).isZero();
    }

    @Test
    void aDurableCommitWhoseMarkersWereNotWrittenIsFinishedAndForcedAfterARestart() throws Exception {
        // Given an FSYNC commit answered (its decision forced) whose marker never reached the log before the stop
        AtomicInteger heldMarkers = new AtomicInteger();
        start(real -> new MarkerHoldingPipeline(real, heldMarkers));
        InitProducerIdResult id = openTransactionWithOneRecord();
        assertThat(coordinator.endTransaction("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT,
                Durability.FSYNC).get(10, TimeUnit.SECONDS)).isEqualTo(TxnError.NONE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (heldMarkers.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(heldMarkers).hasValue(1);
        assertThat(describe("a").state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isZero();

        // When the broker restarts
        stop();
        start(real -> real);

        // Then the coordinator finds the decision, writes the commit marker and forces it
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2).isEqualTo(p0.highWatermark());
        assertThat(pipeline.transactions(p0).abortedTransactions(0, 2)).isEmpty();
        assertThat(p0.flushCount()).isPositive();
    }

    @Test
    void anAddWhoseStateCouldNotBeStoredIsStoredByItsRetry() throws Exception {
        // Given producers of ids a and b, and a __transaction_state that fails the next write of each add
        AtomicInteger failNextStateWrites = new AtomicInteger();
        start(real -> new StateFailingPipeline(real, failNextStateWrites));
        InitProducerIdResult a = coordinator.initProducerId("a", 60_000, -1, (short) -1).get(10, TimeUnit.SECONDS);
        InitProducerIdResult b = coordinator.initProducerId("b", 60_000, -1, (short) -1).get(10, TimeUnit.SECONDS);
        TxnPartition t0 = new TxnPartition("t", 0);

        // When AddPartitionsToTxn of a and AddOffsetsToTxn of b fail to store, and each is retried
        failNextStateWrites.set(1);
        assertThat(coordinator.addPartitions("a", a.producerId(), a.producerEpoch(), List.of(t0))
                .get(10, TimeUnit.SECONDS)).containsEntry(t0, TxnError.COORDINATOR_NOT_AVAILABLE);
        failNextStateWrites.set(1);
        assertThat(coordinator.addOffsets("b", b.producerId(), b.producerEpoch(), "g").get(10, TimeUnit.SECONDS))
                .isEqualTo(TxnError.COORDINATOR_NOT_AVAILABLE);
        assertThat(failNextStateWrites).hasValue(0);
        assertThat(coordinator.addPartitions("a", a.producerId(), a.producerEpoch(), List.of(t0))
                .get(10, TimeUnit.SECONDS)).containsEntry(t0, TxnError.NONE);
        assertThat(coordinator.addOffsets("b", b.producerId(), b.producerEpoch(), "g").get(10, TimeUnit.SECONDS))
                .isEqualTo(TxnError.NONE);

        // Then the retries stored both transactions: a restart finds them open, a's with its partition
        assertThat(coordinator.checkProduce(a.producerId(), a.producerEpoch(), "t", 0)).isEqualTo(TxnError.NONE);
        stop();
        start(real -> real);
        assertThat(describe("a").state()).isEqualTo(TransactionState.ONGOING);
        assertThat(describe("a").partitions()).containsExactly(t0);
        assertThat(describe("b").state()).isEqualTo(TransactionState.ONGOING);
    }

    @Test
    void aMarkerWhoseWriteFailsIsWrittenAgainBeforeTheTransactionCompletes() throws Exception {
        // Given an open transaction with a record in t-0, and a pipeline failing the next three marker writes
        AtomicInteger failNextMarkers = new AtomicInteger();
        start(real -> new MarkerFailingPipeline(real, failNextMarkers));
        InitProducerIdResult id = openTransactionWithOneRecord();
        failNextMarkers.set(3);

        // When it commits
        assertThat(coordinator.endTransaction("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT)
                .get(10, TimeUnit.SECONDS)).isEqualTo(TxnError.NONE);

        // Then the marker is written again until it is, and only then does the transaction complete
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(failNextMarkers).hasValue(0);
        assertThat(p0.highWatermark()).isEqualTo(2);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
    }

    private InitProducerIdResult openTransactionWithOneRecord() throws Exception {
        InitProducerIdResult id = coordinator.initProducerId("a", 60_000, -1, (short) -1).get(10, TimeUnit.SECONDS);
        assertThat(coordinator.addPartitions("a", id.producerId(), id.producerEpoch(), List.of(new TxnPartition("t", 0)))
                .get(10, TimeUnit.SECONDS)).containsValue(TxnError.NONE);
        ByteBuffer batch = TestBatches.batch().producer(id.producerId(), id.producerEpoch(), 0)
                .attributes(RecordBatchHeader.TRANSACTIONAL_FLAG_MASK).build();
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        pipeline.offer(p0, batch, result::complete);
        assertThat(result.get(10, TimeUnit.SECONDS).error()).isEqualTo(AppendError.NONE);
        return id;
    }

    private PartitionLog statePartition() {
        return log.topic(TransactionLog.TOPIC).orElseThrow().partition(0);
    }

    private void awaitState(String txnId, TransactionState state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (describe(txnId).state() != state && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(describe(txnId).state()).isEqualTo(state);
    }

    private TransactionDescription describe(String txnId) throws Exception {
        return coordinator.describe(txnId).get(10, TimeUnit.SECONDS).orElseThrow();
    }

    /** What the coordinator gets instead of the real pipeline. */
    @FunctionalInterface
    private interface PipelineWrapper {
        IngestPipeline wrap(IngestPipeline real);
    }

    /** The real pipeline, forwarded to; the test's variants override what they change. */
    private interface ForwardingPipeline extends IngestPipeline {
        IngestPipeline real();

        @Override
        default OfferResult offer(PartitionLog partition, ByteBuffer batches, Durability durability,
                                  AppendCallback callback) {
            return real().offer(partition, batches, durability, callback);
        }

        @Override
        default OfferResult offerMarker(PartitionLog partition, long producerId, short producerEpoch, MarkerType type,
                                        int coordinatorEpoch, Durability durability, AppendCallback callback) {
            return real().offerMarker(partition, producerId, producerEpoch, type, coordinatorEpoch, durability,
                    callback);
        }

        @Override
        default TransactionView transactions(PartitionLog partition) {
            return real().transactions(partition);
        }

        @Override
        default void addCommitListener(CommitListener listener) {
            real().addCommitListener(listener);
        }

        @Override
        default ProducerIdAllocator producerIds() {
            return real().producerIds();
        }

        @Override
        default void close() {
            // the test closes the real pipeline
        }
    }

    /** The real pipeline, except that the next {@code failures} writes to __transaction_state fail (STORAGE_ERROR). */
    private record StateFailingPipeline(IngestPipeline real, AtomicInteger failures) implements ForwardingPipeline {
        @Override
        public OfferResult offer(PartitionLog partition, ByteBuffer batches, Durability durability,
                                 AppendCallback callback) {
            if (partition.topic().equals(TransactionLog.TOPIC) && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                callback.onComplete(AppendResult.failure(AppendError.STORAGE_ERROR, "injected"));
                return OfferResult.ACCEPTED;
            }
            return real.offer(partition, batches, durability, callback);
        }
    }

    /** The real pipeline, except that the next {@code failures} markers fail to be written (STORAGE_ERROR). */
    private record MarkerFailingPipeline(IngestPipeline real, AtomicInteger failures) implements ForwardingPipeline {
        @Override
        public OfferResult offerMarker(PartitionLog partition, long producerId, short producerEpoch, MarkerType type,
                                       int coordinatorEpoch, Durability durability, AppendCallback callback) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                callback.onComplete(AppendResult.failure(AppendError.STORAGE_ERROR, "injected"));
                return OfferResult.ACCEPTED;
            }
            return real.offerMarker(partition, producerId, producerEpoch, type, coordinatorEpoch, durability, callback);
        }
    }

    /** The real pipeline, running {@code onMarker} on the offering thread as each marker is offered. */
    private record MarkerOfferWatchingPipeline(IngestPipeline real, Runnable onMarker) implements ForwardingPipeline {
        @Override
        public OfferResult offerMarker(PartitionLog partition, long producerId, short producerEpoch, MarkerType type,
                                       int coordinatorEpoch, Durability durability, AppendCallback callback) {
            onMarker.run();
            return real.offerMarker(partition, producerId, producerEpoch, type, coordinatorEpoch, durability, callback);
        }
    }

    /** The real pipeline, except that markers are taken and never written nor answered (the stop comes first). */
    private record MarkerHoldingPipeline(IngestPipeline real, AtomicInteger held) implements ForwardingPipeline {
        @Override
        public OfferResult offerMarker(PartitionLog partition, long producerId, short producerEpoch, MarkerType type,
                                       int coordinatorEpoch, Durability durability, AppendCallback callback) {
            held.incrementAndGet();
            return OfferResult.ACCEPTED;
        }
    }
}
