package io.tributary.transactions;

import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.testing.TestBatches;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.PipelineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The coordinator over a real log and ingest pipeline. */
@Timeout(60)
class TransactionCoordinatorTest {
    private static final int TIMEOUT_MS = 60_000;

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000L);
    private final List<String> committedOffsets = new CopyOnWriteArrayList<>();
    /** What the group-offset store answers a commit with; a test holds it to keep a transaction ending. */
    private volatile CompletableFuture<Void> offsetsStored = CompletableFuture.completedFuture(null);
    private LogManager log;
    private IngestPipeline pipeline;
    private TransactionCoordinator coordinator;
    private PartitionLog p0;

    @BeforeEach
    void start() {
        log = LogManager.open(LogManagerConfig.builder(dir).build());
        pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir).ringSize(64).build());
        p0 = log.topic("t").orElseGet(() -> log.createTopic("t", 2, Map.of())).partition(0);
        coordinator = startCoordinator();
    }

    @AfterEach
    void stop() {
        coordinator.close();
        pipeline.close();
        log.close();
    }

    @Test
    void initBumpsTheEpochOfAKnownIdAndRefusesTooLongTimeouts() throws Exception {
        InitProducerIdResult first = init("a");
        InitProducerIdResult second = init("a");
        InitProducerIdResult other = init("b");
        InitProducerIdResult tooLong = coordinator.initProducerId("a", 120_001, -1, (short) -1).get(10, TimeUnit.SECONDS);

        assertThat(first.error()).isEqualTo(TxnError.NONE);
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isEqualTo((short) 1);
        assertThat(other.producerId()).isNotEqualTo(first.producerId());
        assertThat(tooLong.error()).isEqualTo(TxnError.INVALID_TRANSACTION_TIMEOUT);
    }

    @Test
    void initNamingTheEpochBeforeTheLastBumpIsAnsweredAsARetryAndAnyOtherEpochIsFenced() throws Exception {
        // Given an id at epoch 0, bumped by an InitProducerId that names it (a client resuming, v3+)
        InitProducerIdResult first = init("a");
        InitProducerIdResult bumped = init("a", first.producerId(), (short) 0);
        assertThat(bumped.producerEpoch()).isEqualTo((short) 1);

        // When that InitProducerId is retried (its answer lost), and others name a wrong epoch or id
        InitProducerIdResult retried = init("a", first.producerId(), (short) 0);
        InitProducerIdResult wrongEpoch = init("a", first.producerId(), (short) 7);
        InitProducerIdResult wrongId = init("a", first.producerId() + 1000, (short) 1);

        // Then the retry gets the current epoch without a new bump, as from Kafka, and the others are fenced
        assertThat(retried).isEqualTo(bumped);
        assertThat(wrongEpoch.error()).isEqualTo(TxnError.PRODUCER_FENCED);
        assertThat(wrongId.error()).isEqualTo(TxnError.PRODUCER_FENCED);
        // and a version 2 EndTxn's bump is recognised the same way
        addV2(first.producerId(), (short) 1, "a", new TxnPartition("t", 0));
        assertThat(endV2("a", first.producerId(), (short) 1, MarkerType.COMMIT).producerEpoch()).isEqualTo((short) 2);
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(init("a", first.producerId(), (short) 1).producerEpoch()).isEqualTo((short) 2);
        assertThat(init("a", first.producerId(), (short) 2).producerEpoch()).isEqualTo((short) 3);
    }

    @Test
    void commitWritesMarkersFreesTheStableOffsetAndCommitsTheOffsets() throws Exception {
        // Given an open transaction with a record in t-0 and offsets of group g
        InitProducerIdResult id = init("a");
        assertThat(add(id, "a", new TxnPartition("t", 0))).containsValue(TxnError.NONE);
        assertThat(coordinator.addOffsets("a", id.producerId(), id.producerEpoch(), "g").get()).isEqualTo(TxnError.NONE);
        assertThat(coordinator.commitOffsets("a", id.producerId(), id.producerEpoch(), "g",
                List.of(new PendingOffset("in", 0, 42, -1, ""))).get()).isEqualTo(TxnError.NONE);
        assertThat(append(p0, id, 0).error()).isEqualTo(AppendError.NONE);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isZero();
        assertThat(committedOffsets).isEmpty();

        // When it commits
        TxnError committed = coordinator.endTransaction("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT)
                .get(10, TimeUnit.SECONDS);

        // Then, once the markers that follow the answer are written, the marker is at offset 1, the stable
        // offset reaches the end, and the offsets are committed
        assertThat(committed).isEqualTo(TxnError.NONE);
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(p0.highWatermark()).isEqualTo(2);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        assertThat(committedOffsets).containsExactly("g:in-0@42");
        assertThat(describe("a").state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        // a retried commit succeeds, an abort now is refused, and the partition no longer takes the producer's batches
        assertThat(end("a", id, MarkerType.COMMIT)).isEqualTo(TxnError.NONE);
        assertThat(end("a", id, MarkerType.ABORT)).isEqualTo(TxnError.INVALID_TXN_STATE);
        assertThat(coordinator.checkProduce(id.producerId(), id.producerEpoch(), "t", 0))
                .isEqualTo(TxnError.TRANSACTION_ABORTABLE);
    }

    @Test
    void abortListsTheTransactionAndDropsItsOffsets() throws Exception {
        InitProducerIdResult id = init("a");
        add(id, "a", new TxnPartition("t", 0));
        coordinator.commitOffsets("a", id.producerId(), id.producerEpoch(), "g",
                List.of(new PendingOffset("in", 0, 42, -1, ""))).get();
        append(p0, id, 0);

        assertThat(end("a", id, MarkerType.ABORT)).isEqualTo(TxnError.NONE);

        awaitState("a", TransactionState.COMPLETE_ABORT);
        assertThat(pipeline.transactions(p0).abortedTransactions(0, 2)).hasSize(1);
        assertThat(committedOffsets).isEmpty();
        // described as Kafka describes a completed transaction: no partitions, its start time kept until the
        // next InitProducerId
        assertThat(describe("a").partitions()).isEmpty();
        assertThat(describe("a").startTimeMs()).isEqualTo(now.get());
        init("a");
        assertThat(describe("a").startTimeMs()).isEqualTo(-1L);
    }

    @Test
    void nextTransactionStartsAfterTheMarkersOfTheOneJustCommitted() throws Exception {
        // Given a committed transaction whose EndTxn was answered once its decision was stored
        InitProducerIdResult id = init("a");
        add(id, "a", new TxnPartition("t", 0));
        append(p0, id, 0);
        assertThat(end("a", id, MarkerType.COMMIT)).isEqualTo(TxnError.NONE);

        // When the producer at once adds the partition to its next transaction and writes to it
        Map<TxnPartition, TxnError> added = add(id, "a", new TxnPartition("t", 0));
        AppendResult next = append(p0, id, 1);

        // Then the add waited for the commit instead of failing, and the new batch follows the commit marker,
        // so it is open in the next transaction, not committed with the last one
        assertThat(added).containsValue(TxnError.NONE);
        assertThat(next.error()).isEqualTo(AppendError.NONE);
        assertThat(next.baseOffset()).isEqualTo(2);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        assertThat(describe("a").state()).isEqualTo(TransactionState.ONGOING);
        // and after a restart the stored state is that second transaction, still open
        restart();
        assertThat(describe("a").state()).isEqualTo(TransactionState.ONGOING);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
    }

    @Test
    void abortSentRightBehindTheAddOfTheNextTransactionWaitsForIt() throws Exception {
        // Given a committed transaction that is still ending: its offsets are not stored yet
        InitProducerIdResult id = init("a");
        add(id, "a", new TxnPartition("t", 0));
        append(p0, id, 0);
        assertThat(coordinator.addOffsets("a", id.producerId(), id.producerEpoch(), "g").get()).isEqualTo(TxnError.NONE);
        assertThat(coordinator.commitOffsets("a", id.producerId(), id.producerEpoch(), "g",
                List.of(new PendingOffset("in", 0, 5, -1, ""))).get()).isEqualTo(TxnError.NONE);
        CompletableFuture<Void> held = new CompletableFuture<>();
        offsetsStored = held;
        assertThat(end("a", id, MarkerType.COMMIT)).isEqualTo(TxnError.NONE);

        // When the producer adds a partition to its next transaction and aborts it without waiting for the add
        // (librdkafka's abort_transaction right after produce)
        CompletableFuture<Map<TxnPartition, TxnError>> added = coordinator.addPartitions("a", id.producerId(),
                id.producerEpoch(), List.of(new TxnPartition("t", 1)));
        CompletableFuture<TxnError> aborted = coordinator.endTransaction("a", id.producerId(), id.producerEpoch(),
                MarkerType.ABORT);
        assertThat(aborted).isNotDone();
        held.complete(null);

        // Then the abort is taken after the add, as a Kafka broker reading the connection in order would take it
        assertThat(added.get(10, TimeUnit.SECONDS)).containsValue(TxnError.NONE);
        assertThat(aborted.get(10, TimeUnit.SECONDS)).isEqualTo(TxnError.NONE);
        awaitState("a", TransactionState.COMPLETE_ABORT);
    }

    @Test
    void checksProducerIdEpochAndPartitions() throws Exception {
        InitProducerIdResult old = init("a");
        InitProducerIdResult current = init("a");
        Map<TxnPartition, TxnError> unknown = add(current, "a", new TxnPartition("t", 0), new TxnPartition("t", 7));

        assertThat(unknown).containsEntry(new TxnPartition("t", 7), TxnError.UNKNOWN_TOPIC_OR_PARTITION)
                .containsEntry(new TxnPartition("t", 0), TxnError.OPERATION_NOT_ATTEMPTED);
        assertThat(add(old, "a", new TxnPartition("t", 0))).containsValue(TxnError.PRODUCER_FENCED);
        assertThat(coordinator.addPartitions("a", current.producerId() + 1, current.producerEpoch(),
                List.of(new TxnPartition("t", 0))).get()).containsValue(TxnError.INVALID_PRODUCER_ID_MAPPING);
        assertThat(add(current, "a", new TxnPartition("t", 0))).containsValue(TxnError.NONE);
        assertThat(coordinator.checkProduce(current.producerId(), current.producerEpoch(), "t", 0)).isEqualTo(TxnError.NONE);
        assertThat(coordinator.checkProduce(current.producerId(), current.producerEpoch(), "t", 1))
                .isEqualTo(TxnError.TRANSACTION_ABORTABLE);
        assertThat(coordinator.checkProduce(current.producerId() + 1, current.producerEpoch(), "t", 0))
                .isEqualTo(TxnError.INVALID_TXN_STATE);
        assertThat(coordinator.checkProduce(old.producerId(), old.producerEpoch(), "t", 0))
                .isEqualTo(TxnError.INVALID_PRODUCER_EPOCH);
        assertThat(end("a", old, MarkerType.COMMIT)).isEqualTo(TxnError.PRODUCER_FENCED);
    }

    @Test
    void transactionOpenPastItsTimeoutIsAbortedWithANewEpoch() throws Exception {
        // Given an open transaction with a 60 s timeout and a record in t-0
        InitProducerIdResult id = init("a");
        add(id, "a", new TxnPartition("t", 0));
        append(p0, id, 0);

        // When the clock passes its timeout
        now.addAndGet(TIMEOUT_MS + 1);

        // Then the next check aborts it: the stable offset passes the marker and the producer is fenced
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (describe("a").state() != TransactionState.COMPLETE_ABORT && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(describe("a").state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(describe("a").producerEpoch()).isEqualTo((short) 1);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        assertThat(end("a", id, MarkerType.COMMIT)).isEqualTo(TxnError.PRODUCER_FENCED);
    }

    @Test
    void newInstanceAbortsTheOpenTransactionOfTheOldOne() throws Exception {
        InitProducerIdResult old = init("a");
        add(old, "a", new TxnPartition("t", 0));
        append(p0, old, 0);

        InitProducerIdResult whileAborting = coordinator.initProducerId("a", TIMEOUT_MS, -1, (short) -1).get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        InitProducerIdResult next = whileAborting;
        while (next.error() == TxnError.CONCURRENT_TRANSACTIONS && System.nanoTime() < deadline) {
            Thread.sleep(10);
            next = coordinator.initProducerId("a", TIMEOUT_MS, -1, (short) -1).get();
        }

        assertThat(whileAborting.error()).isIn(TxnError.CONCURRENT_TRANSACTIONS, TxnError.NONE);
        assertThat(next.error()).isEqualTo(TxnError.NONE);
        assertThat(next.producerEpoch()).isGreaterThan(old.producerEpoch());
        assertThat(pipeline.transactions(p0).abortedTransactions(0, 10)).hasSize(1);
        assertThat(append(p0, old, 1).error()).isEqualTo(AppendError.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void openTransactionSurvivesARestartAndCommitsAfterIt() throws Exception {
        // Given an open transaction with a record in t-0 and offsets of group g
        InitProducerIdResult id = init("a");
        add(id, "a", new TxnPartition("t", 0));
        coordinator.commitOffsets("a", id.producerId(), id.producerEpoch(), "g",
                List.of(new PendingOffset("in", 0, 7, -1, "meta"))).get();
        append(p0, id, 0);

        // When the broker restarts
        restart();

        // Then the transaction is still open with its partition, its producer may go on, and its commit
        // frees the stable offset and commits the offsets sent before the restart
        TransactionDescription after = describe("a");
        assertThat(after.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(after.producerId()).isEqualTo(id.producerId());
        assertThat(after.partitions()).containsExactly(new TxnPartition("t", 0));
        assertThat(pipeline.transactions(p0).lastStableOffset()).isZero();
        assertThat(coordinator.checkProduce(id.producerId(), id.producerEpoch(), "t", 0)).isEqualTo(TxnError.NONE);
        assertThat(append(p0, id, 1).error()).isEqualTo(AppendError.NONE);
        assertThat(end("a", id, MarkerType.COMMIT)).isEqualTo(TxnError.NONE);
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(3).isEqualTo(p0.highWatermark());
        assertThat(committedOffsets).containsExactly("g:in-0@7");
        // and the next instance still gets the next epoch of the same producer id
        InitProducerIdResult next = init("a");
        assertThat(next.producerId()).isEqualTo(id.producerId());
        assertThat(next.producerEpoch()).isEqualTo((short) (id.producerEpoch() + 1));
    }

    @Test
    void partitionAddedAheadOfAProduceIsWritableAtOnceAndStoredBeforeTheBatchCommits() throws Exception {
        // Given a producer whose Produce v12 adds t-0 to a new transaction
        InitProducerIdResult id = init("a");
        PartitionsAdded added = coordinator.addPartitionsAhead("a", id.producerId(), id.producerEpoch(),
                List.of(new TxnPartition("t", 0))).get(10, TimeUnit.SECONDS);
        assertThat(added.errors()).containsExactly(Map.entry(new TxnPartition("t", 0), TxnError.NONE));
        assertThat(coordinator.checkProduce(id.producerId(), id.producerEpoch(), "t", 0)).isEqualTo(TxnError.NONE);

        // When its batch is offered right away, without waiting for the add to be stored
        ByteBuffer batch = TestBatches.batch().producer(id.producerId(), id.producerEpoch(), 0)
                .attributes(RecordBatchHeader.TRANSACTIONAL_FLAG_MASK).build();
        CompletableFuture<Boolean> storedFirst = new CompletableFuture<>();
        pipeline.offer(p0, batch, result -> storedFirst.complete(result.error() == AppendError.NONE
                && added.stored().getNow(null) == TxnError.NONE));

        // Then the add was stored by the time the batch committed, and a restart finds the transaction with t-0
        assertThat(storedFirst.get(10, TimeUnit.SECONDS)).isTrue();
        restart();
        assertThat(describe("a").state()).isEqualTo(TransactionState.ONGOING);
        assertThat(describe("a").partitions()).containsExactly(new TxnPartition("t", 0));
        assertThat(pipeline.transactions(p0).lastStableOffset()).isZero();
    }

    @Test
    void transactionNoStoredStateKnowsIsAbortedAtStart() throws Exception {
        // Given a transactional batch of a producer the coordinator never registered (as if its state was lost)
        InitProducerIdResult stranger = new InitProducerIdResult(TxnError.NONE, 4242, (short) 3);
        append(p0, stranger, 0);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isZero();

        // When the broker restarts
        restart();

        // Then the coordinator aborts it, so the stable offset moves past its abort marker
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pipeline.transactions(p0).lastStableOffset() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        assertThat(pipeline.transactions(p0).abortedTransactions(0, 2)).hasSize(1);
    }

    @Test
    void stateTopicIsCompactedAndAnOlderUncompactedOneBecomesCompacted() throws Exception {
        // Given a transactional id, whose state creates __transaction_state
        init("a");
        // Then the topic is compacted, so the cleaner bounds it as Kafka's
        assertThat(log.topic("__transaction_state").orElseThrow().configOverrides())
                .containsEntry("cleanup.policy", "compact");

        // When a data directory from before compaction (the topic with the delete policy) is opened
        log.alterTopicConfig("__transaction_state", Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
        restart();

        // Then the topic is compacted again and the state is still there
        assertThat(log.topic("__transaction_state").orElseThrow().configOverrides())
                .containsEntry("cleanup.policy", "compact");
        assertThat(describe("a").producerEpoch()).isEqualTo((short) 0);
    }

    @Test
    void v2CommitBumpsTheEpochWritesTheMarkerWithItAndARetryIsAnsweredTheSame() throws Exception {
        // Given a transaction whose partition was added by its first batch (Produce v12)
        InitProducerIdResult id = init("a");
        assertThat(addV2(id.producerId(), id.producerEpoch(), "a", new TxnPartition("t", 0))).containsValue(TxnError.NONE);
        assertThat(append(p0, id.producerId(), id.producerEpoch(), 0).error()).isEqualTo(AppendError.NONE);

        // When EndTxn v5 commits it
        EndTxnResult committed = endV2("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT);

        // Then the answer carries the next epoch, and the marker is written with it
        assertThat(committed).isEqualTo(new EndTxnResult(TxnError.NONE, id.producerId(), (short) 1));
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        assertThat(batchAt(p0, 1).producerEpoch()).isEqualTo((short) 1);
        assertThat(batchAt(p0, 1).isControl()).isTrue();
        // a retry with the old epoch gets the same answer; an abort with it is refused; the old epoch is fenced
        assertThat(endV2("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT)).isEqualTo(committed);
        assertThat(endV2("a", id.producerId(), id.producerEpoch(), MarkerType.ABORT).error())
                .isEqualTo(TxnError.INVALID_TXN_STATE);
        assertThat(coordinator.checkProduce(id.producerId(), id.producerEpoch(), "t", 0))
                .isEqualTo(TxnError.INVALID_PRODUCER_EPOCH);
        assertThat(addV2(id.producerId(), id.producerEpoch(), "a", new TxnPartition("t", 0)))
                .containsValue(TxnError.PRODUCER_FENCED);
        // the next transaction runs at the new epoch, its sequence starting again at 0
        assertThat(addV2(id.producerId(), (short) 1, "a", new TxnPartition("t", 0))).containsValue(TxnError.NONE);
        assertThat(append(p0, id.producerId(), (short) 1, 0).error()).isEqualTo(AppendError.NONE);
        assertThat(endV2("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT).error())
                .isEqualTo(TxnError.PRODUCER_FENCED);
        assertThat(endV2("a", id.producerId(), (short) 1, MarkerType.ABORT))
                .isEqualTo(new EndTxnResult(TxnError.NONE, id.producerId(), (short) 2));
        awaitState("a", TransactionState.COMPLETE_ABORT);
        assertThat(pipeline.transactions(p0).abortedTransactions(0, 10)).hasSize(1);
    }

    @Test
    void v2AbortWithNothingAddedBumpsTheEpochWithoutAMarkerAndACommitIsRefused() throws Exception {
        InitProducerIdResult id = init("a");

        EndTxnResult committed = endV2("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT);
        EndTxnResult aborted = endV2("a", id.producerId(), id.producerEpoch(), MarkerType.ABORT);

        assertThat(committed.error()).isEqualTo(TxnError.INVALID_TXN_STATE);
        assertThat(committed.producerId()).isEqualTo(-1L);
        assertThat(aborted).isEqualTo(new EndTxnResult(TxnError.NONE, id.producerId(), (short) 1));
        awaitState("a", TransactionState.COMPLETE_ABORT);
        assertThat(p0.highWatermark()).isZero();
        assertThat(endV2("a", id.producerId(), (short) 5, MarkerType.ABORT).error()).isEqualTo(TxnError.PRODUCER_FENCED);
        assertThat(endV2("a", id.producerId() + 1, (short) 1, MarkerType.ABORT).error())
                .isEqualTo(TxnError.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void v2OffsetCommitOpensTheTransactionItselfAndCommitsWithIt() throws Exception {
        InitProducerIdResult id = init("a");
        List<PendingOffset> offsets = List.of(new PendingOffset("in", 0, 7, -1, ""));

        TxnError v1 = coordinator.commitOffsets("a", id.producerId(), id.producerEpoch(), "g", offsets).get();
        TxnError v2 = coordinator.commitOffsets("a", id.producerId(), id.producerEpoch(), "g", offsets,
                TransactionVersion.V2).get(10, TimeUnit.SECONDS);

        assertThat(v1).isEqualTo(TxnError.INVALID_TXN_STATE);
        assertThat(v2).isEqualTo(TxnError.NONE);
        assertThat(describe("a").state()).isEqualTo(TransactionState.ONGOING);
        assertThat(coordinator.hasPendingOffset("g", "in", 0)).isTrue();
        assertThat(endV2("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT).error()).isEqualTo(TxnError.NONE);
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(committedOffsets).containsExactly("g:in-0@7");
    }

    @Test
    void v2ExhaustedEpochMovesToANewProducerIdAndARetryWithTheOldIdIsAnsweredAcrossARestart() throws Exception {
        // Given a transaction at the last epoch a client may use, open in t-0
        long producerId = pipeline.producerIds().nextProducerId();
        short last = Short.MAX_VALUE - 1;
        storeState(producerId, last, TransactionState.ONGOING, new TxnPartition("t", 0));
        assertThat(append(p0, producerId, last, 0).error()).isEqualTo(AppendError.NONE);

        // When EndTxn v5 commits it
        EndTxnResult committed = endV2("z", producerId, last, MarkerType.COMMIT);

        // Then the producer goes on with a new id at epoch 0; the marker has the old id at the highest epoch
        assertThat(committed.error()).isEqualTo(TxnError.NONE);
        assertThat(committed.producerId()).isNotEqualTo(producerId);
        assertThat(committed.producerEpoch()).isZero();
        awaitState("z", TransactionState.COMPLETE_COMMIT);
        assertThat(describe("z").producerId()).isEqualTo(committed.producerId());
        assertThat(describe("z").producerEpoch()).isZero();
        assertThat(batchAt(p0, 1).producerId()).isEqualTo(producerId);
        assertThat(batchAt(p0, 1).producerEpoch()).isEqualTo(Short.MAX_VALUE);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        // and a retry naming the old id and epoch is answered with the new ones, also after a restart
        assertThat(endV2("z", producerId, last, MarkerType.COMMIT)).isEqualTo(committed);
        restart();
        assertThat(endV2("z", producerId, last, MarkerType.COMMIT)).isEqualTo(committed);
        assertThat(endV2("z", producerId, last, MarkerType.ABORT).error()).isEqualTo(TxnError.INVALID_TXN_STATE);
        assertThat(addV2(committed.producerId(), (short) 0, "z", new TxnPartition("t", 0))).containsValue(TxnError.NONE);
    }

    @Test
    void v2DecisionWithAnExhaustedEpochSurvivesARestartBeforeItsMarkers() throws Exception {
        // Given a V2 commit decided at the highest epoch with its next producer id, stored but not finished
        long producerId = pipeline.producerIds().nextProducerId();
        assertThat(append(p0, producerId, Short.MAX_VALUE, 0).error()).isEqualTo(AppendError.NONE);
        TransactionMetadata decided = state(producerId, Short.MAX_VALUE, TransactionState.PREPARE_COMMIT,
                new TxnPartition("t", 0));
        decided.version = TransactionVersion.V2;
        decided.nextProducerId = pipeline.producerIds().nextProducerId();
        store(decided);

        // When the coordinator starts
        coordinator = startCoordinator();

        // Then it writes the markers and moves the id to the next producer id
        awaitState("z", TransactionState.COMPLETE_COMMIT);
        assertThat(describe("z").producerId()).isEqualTo(decided.nextProducerId);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        assertThat(endV2("z", producerId, (short) (Short.MAX_VALUE - 1), MarkerType.COMMIT))
                .isEqualTo(new EndTxnResult(TxnError.NONE, decided.nextProducerId, (short) 0));
    }

    @Test
    void newInstanceFencingAnOpenV2TransactionAbortsItWithTheNextEpochAndGetsTheOneAfter() throws Exception {
        // Given a version 2 transaction of the old instance at epoch 0, open in t-0
        InitProducerIdResult old = init("a");
        addV2(old.producerId(), old.producerEpoch(), "a", new TxnPartition("t", 0));
        append(p0, old, 0);

        // When a new instance initializes the same transactional id
        InitProducerIdResult fencing = init("a");

        // Then it is told to retry while the old transaction is aborted by a marker at epoch 1, as Kafka 4.4
        // decides it (PrepareAbort, not a stored PrepareEpochFence), and its retry gets epoch 2
        assertThat(fencing.error()).isEqualTo(TxnError.CONCURRENT_TRANSACTIONS);
        awaitState("a", TransactionState.COMPLETE_ABORT);
        assertThat(batchAt(p0, 1).producerId()).isEqualTo(old.producerId());
        assertThat(batchAt(p0, 1).producerEpoch()).isEqualTo((short) 1);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        InitProducerIdResult next = init("a");
        assertThat(next.producerId()).isEqualTo(old.producerId());
        assertThat(next.producerEpoch()).isEqualTo((short) 2);
        assertThat(endV2("a", old.producerId(), old.producerEpoch(), MarkerType.ABORT).error())
                .isEqualTo(TxnError.PRODUCER_FENCED);
    }

    @Test
    void newInstanceFencingAnOpenV2TransactionAtAnExhaustedEpochMovesToTheNextProducerIdAfterTheMarkers()
            throws Exception {
        // Given an open transaction at the last epoch a client may use, with a record in t-0
        long producerId = pipeline.producerIds().nextProducerId();
        short last = Short.MAX_VALUE - 1;
        storeState(producerId, last, TransactionState.ONGOING, new TxnPartition("t", 0));
        assertThat(append(p0, producerId, last, 0).error()).isEqualTo(AppendError.NONE);

        // When a new instance initializes the transactional id
        assertThat(init("z").error()).isEqualTo(TxnError.CONCURRENT_TRANSACTIONS);

        // Then the marker ends the old producer's transaction (old id, highest epoch), the id moves on to a new
        // producer id at epoch 0, and the retry bumps that one
        awaitState("z", TransactionState.COMPLETE_ABORT);
        assertThat(batchAt(p0, 1).producerId()).isEqualTo(producerId);
        assertThat(batchAt(p0, 1).producerEpoch()).isEqualTo(Short.MAX_VALUE);
        assertThat(pipeline.transactions(p0).lastStableOffset()).isEqualTo(2);
        long next = describe("z").producerId();
        assertThat(next).isNotEqualTo(producerId);
        assertThat(describe("z").producerEpoch()).isZero();
        InitProducerIdResult retried = init("z");
        assertThat(retried.producerId()).isEqualTo(next);
        assertThat(retried.producerEpoch()).isEqualTo((short) 1);
    }

    @Test
    void timedOutV2TransactionIsAbortedWithTheNextEpochAndItsProducerAbortsAndGoesOn() throws Exception {
        // Given a version 2 transaction open in t-0
        InitProducerIdResult id = init("a");
        addV2(id.producerId(), id.producerEpoch(), "a", new TxnPartition("t", 0));
        append(p0, id, 0);

        // When the clock passes its timeout
        now.addAndGet(TIMEOUT_MS + 1);

        // Then it is aborted with a marker at epoch 1; the producer's data requests at epoch 0 are fenced, but
        // its abort is answered as a retry of the bump (epoch 1), with which its next transaction goes on
        awaitState("a", TransactionState.COMPLETE_ABORT);
        assertThat(batchAt(p0, 1).producerEpoch()).isEqualTo((short) 1);
        assertThat(append(p0, id, 1).error()).isEqualTo(AppendError.INVALID_PRODUCER_EPOCH);
        assertThat(addV2(id.producerId(), id.producerEpoch(), "a", new TxnPartition("t", 0)))
                .containsValue(TxnError.PRODUCER_FENCED);
        assertThat(endV2("a", id.producerId(), id.producerEpoch(), MarkerType.COMMIT).error())
                .isEqualTo(TxnError.INVALID_TXN_STATE);
        assertThat(endV2("a", id.producerId(), id.producerEpoch(), MarkerType.ABORT))
                .isEqualTo(new EndTxnResult(TxnError.NONE, id.producerId(), (short) 1));
        assertThat(addV2(id.producerId(), (short) 1, "a", new TxnPartition("t", 0))).containsValue(TxnError.NONE);
    }

    @Test
    void timedOutTransactionAtAnExhaustedEpochIsAbortedByItsOwnProducerIdAtEitherLevel() throws Exception {
        // Given an open transaction at epoch 32766 in t-0, at level 2
        long producerId = pipeline.producerIds().nextProducerId();
        short last = Short.MAX_VALUE - 1;
        storeState(producerId, last, TransactionState.ONGOING, new TxnPartition("t", 0));
        assertThat(append(p0, producerId, last, 0).error()).isEqualTo(AppendError.NONE);

        // When it times out
        now.addAndGet(TIMEOUT_MS + 1);

        // Then the marker has the old id at the highest epoch, the id moves to a new producer id, and the old
        // producer's abort is answered with it
        awaitState("z", TransactionState.COMPLETE_ABORT);
        assertThat(batchAt(p0, 1).producerId()).isEqualTo(producerId);
        assertThat(batchAt(p0, 1).producerEpoch()).isEqualTo(Short.MAX_VALUE);
        long next = describe("z").producerId();
        assertThat(next).isNotEqualTo(producerId);
        assertThat(endV2("z", producerId, last, MarkerType.ABORT))
                .isEqualTo(new EndTxnResult(TxnError.NONE, next, (short) 0));

        // and at level 1 the same marker, but the id stays at the highest epoch until the next InitProducerId
        PartitionLog p1 = log.topic("t").orElseThrow().partition(1);
        long other = pipeline.producerIds().nextProducerId();
        store(state(other, last, TransactionState.ONGOING, new TxnPartition("t", 1)));
        coordinator = startCoordinator(TransactionVersion.V1);
        assertThat(append(p1, other, last, 0).error()).isEqualTo(AppendError.NONE);
        now.addAndGet(TIMEOUT_MS + 1);
        awaitState("z", TransactionState.COMPLETE_ABORT);
        assertThat(batchAt(p1, 1).producerId()).isEqualTo(other);
        assertThat(batchAt(p1, 1).producerEpoch()).isEqualTo(Short.MAX_VALUE);
        assertThat(describe("z").producerId()).isEqualTo(other);
        assertThat(describe("z").producerEpoch()).isEqualTo(Short.MAX_VALUE);
        assertThat(init("z").producerId()).isNotEqualTo(other);
    }

    @Test
    void verifyOnlyAnswersPerPartitionWhetherTheOpenTransactionAddedItAndAddsNothing() throws Exception {
        // Given a transaction that added t-0
        InitProducerIdResult id = init("a");
        TxnPartition t0 = new TxnPartition("t", 0);
        TxnPartition t1 = new TxnPartition("t", 1);
        assertThat(verify("a", id.producerId(), id.producerEpoch(), t0)).containsEntry(t0, TxnError.TRANSACTION_ABORTABLE);
        add(id, "a", t0);

        // When a partition leader verifies t-0 and t-1, with the right and wrong epoch, id and topic
        Map<TxnPartition, TxnError> verified = verify("a", id.producerId(), id.producerEpoch(), t0, t1);

        // Then t-0 is in it, t-1 is not (and was not added), and the checks are Kafka's
        assertThat(verified).containsEntry(t0, TxnError.NONE).containsEntry(t1, TxnError.TRANSACTION_ABORTABLE);
        assertThat(describe("a").partitions()).containsExactly(t0);
        assertThat(verify("a", id.producerId(), (short) (id.producerEpoch() + 1), t0))
                .containsEntry(t0, TxnError.PRODUCER_FENCED);
        assertThat(verify("b", id.producerId(), id.producerEpoch(), t0))
                .containsEntry(t0, TxnError.INVALID_PRODUCER_ID_MAPPING);
        TxnPartition missing = new TxnPartition("missing", 0);
        assertThat(verify("a", id.producerId(), id.producerEpoch(), t0, missing))
                .containsEntry(missing, TxnError.UNKNOWN_TOPIC_OR_PARTITION)
                .containsEntry(t0, TxnError.OPERATION_NOT_ATTEMPTED);
        // and once it is committed nothing is in a transaction any more
        assertThat(end("a", id, MarkerType.COMMIT)).isEqualTo(TxnError.NONE);
        awaitState("a", TransactionState.COMPLETE_COMMIT);
        assertThat(verify("a", id.producerId(), id.producerEpoch(), t0)).containsEntry(t0, TxnError.TRANSACTION_ABORTABLE);
    }

    /** Replaces the coordinator by one started on a stored state of transactional id z. */
    private void storeState(long producerId, short epoch, TransactionState state, TxnPartition... partitions)
            throws Exception {
        store(state(producerId, epoch, state, partitions));
        coordinator = startCoordinator();
    }

    private TransactionMetadata state(long producerId, short epoch, TransactionState state, TxnPartition... partitions) {
        TransactionMetadata txn = new TransactionMetadata("z", producerId, epoch, TIMEOUT_MS, now.get());
        txn.state = state;
        txn.startTimeMs = now.get();
        txn.partitions.addAll(List.of(partitions));
        return txn;
    }

    /** Stops the coordinator and stores {@code txn} in its topic. */
    private void store(TransactionMetadata txn) throws Exception {
        coordinator.close();
        var thread = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            new TransactionLog(log, pipeline, thread).write(txn).get(10, TimeUnit.SECONDS);
        } finally {
            thread.shutdown();
        }
    }

    private TransactionCoordinator startCoordinator() {
        return startCoordinator(TransactionVersion.V2);
    }

    private TransactionCoordinator startCoordinator(TransactionVersion level) {
        return TransactionCoordinator.start(new TransactionConfig(120_000, 20, 3_600_000, level), log, pipeline,
                (group, offsets) -> {
                    offsets.forEach(o -> committedOffsets.add(group + ":" + o.topic() + "-" + o.partition() + "@" + o.offset()));
                    return offsetsStored;
                }, new MovableClock());
    }

    private Map<TxnPartition, TxnError> addV2(long producerId, short epoch, String txnId, TxnPartition... partitions)
            throws Exception {
        return coordinator.addPartitions(txnId, producerId, epoch, List.of(partitions), TransactionVersion.V2)
                .get(10, TimeUnit.SECONDS);
    }

    private Map<TxnPartition, TxnError> verify(String txnId, long producerId, short epoch, TxnPartition... partitions)
            throws Exception {
        return coordinator.verifyPartitions(txnId, producerId, epoch, List.of(partitions)).get(10, TimeUnit.SECONDS);
    }

    private EndTxnResult endV2(String txnId, long producerId, short epoch, MarkerType type) throws Exception {
        return coordinator.endTransaction(txnId, producerId, epoch, type, TransactionVersion.V2).get(10, TimeUnit.SECONDS);
    }

    /** The header of the batch at {@code offset}. */
    private static RecordBatchHeader batchAt(PartitionLog partition, long offset) throws Exception {
        io.tributary.log.LogSlice slice = partition.read(offset, 1 << 16, partition.highWatermark(), true);
        ByteBuffer bytes = ByteBuffer.allocate(slice.size());
        while (bytes.hasRemaining()) {
            slice.channel().read(bytes, slice.position() + bytes.position());
        }
        RecordBatchHeader header = new RecordBatchHeader().wrap(bytes, 0);
        int position = 0;
        while (header.baseOffset() + header.lastOffsetDelta() < offset) {
            position += header.sizeInBytes();
            header.wrap(bytes, position);
        }
        return header;
    }

    private void restart() {
        stop();
        start();
        p0 = log.topic("t").orElseThrow().partition(0);
    }

    private InitProducerIdResult init(String id) throws Exception {
        return init(id, -1, (short) -1);
    }

    private InitProducerIdResult init(String id, long expectedProducerId, short expectedEpoch) throws Exception {
        return coordinator.initProducerId(id, TIMEOUT_MS, expectedProducerId, expectedEpoch).get(10, TimeUnit.SECONDS);
    }

    private Map<TxnPartition, TxnError> add(InitProducerIdResult id, String txnId, TxnPartition... partitions)
            throws Exception {
        return coordinator.addPartitions(txnId, id.producerId(), id.producerEpoch(), List.of(partitions))
                .get(10, TimeUnit.SECONDS);
    }

    private TxnError end(String txnId, InitProducerIdResult id, MarkerType type) throws Exception {
        return coordinator.endTransaction(txnId, id.producerId(), id.producerEpoch(), type).get(10, TimeUnit.SECONDS);
    }

    /** Waits until the transactional id is in {@code state} (its markers written), failing after 30 s. */
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

    private AppendResult append(PartitionLog partition, InitProducerIdResult id, int sequence) throws Exception {
        return append(partition, id.producerId(), id.producerEpoch(), sequence);
    }

    private AppendResult append(PartitionLog partition, long producerId, short epoch, int sequence) throws Exception {
        ByteBuffer batch = TestBatches.batch().producer(producerId, epoch, sequence)
                .attributes(RecordBatchHeader.TRANSACTIONAL_FLAG_MASK).build();
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        pipeline.offer(partition, batch, result::complete);
        return result.get(10, TimeUnit.SECONDS);
    }

    /** The test's clock: the coordinator's timeouts count against {@link #now}. */
    private final class MovableClock extends Clock {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    }
}
