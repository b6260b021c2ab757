package io.tributary.transactions;

import io.tributary.log.LogManager;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.OrderedOffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The transaction coordinator of this node (Kafka's, for a single broker).
 *
 * <p>Every call runs on the coordinator thread and answers through a future. Ending a transaction
 * stores the decision (PrepareCommit / PrepareAbort) and answers, as Kafka does; then it writes a
 * marker into each of its partitions through {@link IngestPipeline#offerMarker}, a commit hands the
 * transaction's offsets to {@link GroupOffsets}, and the transaction completes. Until then the
 * producer's next AddPartitionsToTxn, AddOffsetsToTxn or InitProducerId waits (Kafka answers
 * CONCURRENT_TRANSACTIONS, which its client retries after 20 ms), up to 5 s
 * ({@code TransactionalIdTurns.ENDING_WAIT_MS}).
 * A new producer instance (InitProducerId of the same transactional id) bumps the epoch, which
 * fences the old one; an open transaction is then aborted with the new epoch first, and the new
 * instance is told CONCURRENT_TRANSACTIONS, as by Kafka (its retry then waits for the markers).
 * Every {@link TransactionConfig#abortTimedOutIntervalMs} open transactions older than their
 * timeout are aborted the same way (with a bumped epoch, so their producer is fenced).
 *
 * <p>Every state change is stored in {@code __transaction_state} ({@link TransactionLog}) before
 * the caller hears of it, and replayed at start (see docs/transactions.md for what survives what).
 *
 * <p>This class holds the public calls and what opens or extends a transaction (InitProducerId,
 * AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit); the rest is in package-private parts sharing one
 * {@link CoordinatorContext}: {@link TransactionalIdTurns} (when a call runs), {@link EndTxnDecider} (EndTxn),
 * {@link EpochFencing} (epoch bumps that fence, the timeout abort), {@link MarkerWriter} (storing a decision,
 * its markers, completion), {@link TransactionRecovery} (the start) and the views other threads read,
 * {@link WritableTransactions} and {@link UnstableOffsets}.
 */
public final class TransactionCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);

    private final TransactionConfig config;
    private final LogManager log;
    private final IngestPipeline ingest;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final Map<String, TransactionMetadata> transactions;
    private final WritableTransactions writable;
    private final TransactionLog stateLog;
    private final UnstableOffsets unstableOffsets;
    private final TransactionRecovery recovery;
    private final TransactionalIdTurns turns;
    private final EpochFencing fencing;
    private final EndTxnDecider ender;

    private TransactionCoordinator(TransactionConfig config, LogManager log, IngestPipeline ingest,
                                   GroupOffsets groupOffsets, Clock clock) {
        this.config = config;
        this.log = log;
        this.ingest = ingest;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "tributary-txn-coordinator");
            t.setDaemon(true);
            return t;
        });
        this.stateLog = new TransactionLog(log, ingest, thread);
        CoordinatorContext context = new CoordinatorContext(config, log, ingest, groupOffsets, clock, thread, stateLog,
                new HashMap<>(), new WritableTransactions(), new UnstableOffsets());
        this.transactions = context.transactions();
        this.writable = context.writable();
        this.unstableOffsets = context.unstableOffsets();
        MarkerWriter markers = new MarkerWriter(context);
        this.recovery = new TransactionRecovery(context, markers);
        this.turns = new TransactionalIdTurns(context);
        this.fencing = new EpochFencing(context, markers);
        this.ender = new EndTxnDecider(context, markers);
    }

    /**
     * Starts the coordinator thread: replays {@code __transaction_state}, finishes the transactions
     * whose markers were being written when the last run stopped, aborts transactions open in the
     * partitions that no stored state knows, and starts the timeout check.
     *
     * @throws java.io.UncheckedIOException if {@code __transaction_state} cannot be read
     */
    public static TransactionCoordinator start(TransactionConfig config, LogManager log, IngestPipeline ingest,
                                               GroupOffsets groupOffsets, Clock clock) {
        TransactionCoordinator coordinator = new TransactionCoordinator(config, log, ingest, groupOffsets, clock);
        try {
            coordinator.turns.call(() -> {
                coordinator.recovery.load();
                return null;
            }).join();
        } catch (java.util.concurrent.CompletionException e) {
            coordinator.close();
            throw e.getCause() instanceof java.io.UncheckedIOException u ? u : e;
        }
        coordinator.thread.scheduleWithFixedDelay(coordinator.fencing::abortTimedOut, config.abortTimedOutIntervalMs(),
                config.abortTimedOutIntervalMs(), TimeUnit.MILLISECONDS);
        return coordinator;
    }

    /**
     * InitProducerId of a transactional id: a producer id with epoch 0 for a new id, else the same
     * id with the next epoch (fencing the previous instance). {@code expectedProducerId} and
     * {@code expectedEpoch} are -1 unless the client resumes after an error (v3+).
     */
    public CompletableFuture<InitProducerIdResult> initProducerId(String transactionalId, int timeoutMs,
                                                                  long expectedProducerId, short expectedEpoch) {
        return turns.afterEndingInTurn(transactionalId,
                () -> init(transactionalId, timeoutMs, expectedProducerId, expectedEpoch));
    }

    /** AddPartitionsToTxn ({@link TransactionVersion#V1}): one error per partition (all NONE on success). */
    public CompletableFuture<Map<TxnPartition, TxnError>> addPartitions(String transactionalId, long producerId,
                                                                        short epoch, Collection<TxnPartition> partitions) {
        return addPartitions(transactionalId, producerId, epoch, partitions, TransactionVersion.V1);
    }

    /**
     * Adds partitions to the producer's transaction, starting one run as {@code version} if none is open:
     * AddPartitionsToTxn ({@link TransactionVersion#V1}) or a transactional Produce v12+ that adds its own
     * partitions ({@link TransactionVersion#V2}). One error per partition (all NONE on success).
     */
    public CompletableFuture<Map<TxnPartition, TxnError>> addPartitions(String transactionalId, long producerId,
                                                                        short epoch, Collection<TxnPartition> partitions,
                                                                        TransactionVersion version) {
        return addAhead(transactionalId, producerId, epoch, partitions, version).thenCompose(added -> added.stored()
                .thenApply(outcome -> outcome == TxnError.NONE ? added.errors() : withError(partitions, outcome)));
    }

    /**
     * A transactional Produce v12+ adding its own partitions ({@link TransactionVersion#V2}): answers as soon
     * as the transaction's new state is in the ingest ring, not once it is stored. The Produce's batches,
     * offered after this answer, are written and committed after that state record (the ring keeps order), so
     * no batch is acknowledged before its partition's add is stored, and a crash that loses the record loses
     * the batches' acknowledgement too (a batch that reached the disk without it is aborted at start as an
     * orphan). Saves the Produce one pipeline round trip per partition a transaction adds (decision 0038).
     */
    public CompletableFuture<PartitionsAdded> addPartitionsAhead(String transactionalId, long producerId, short epoch,
                                                                 Collection<TxnPartition> partitions) {
        return addAhead(transactionalId, producerId, epoch, partitions, TransactionVersion.V2);
    }

    private CompletableFuture<PartitionsAdded> addAhead(String transactionalId, long producerId, short epoch,
                                                        Collection<TxnPartition> partitions, TransactionVersion version) {
        return turns.afterEndingInTurn(transactionalId, () -> add(transactionalId, producerId, epoch, partitions, version));
    }

    private static Map<TxnPartition, TxnError> withError(Collection<TxnPartition> partitions, TxnError error) {
        Map<TxnPartition, TxnError> result = new LinkedHashMap<>();
        partitions.forEach(p -> result.put(p, error));
        return result;
    }

    /**
     * AddPartitionsToTxn v4+ with VerifyOnly (KIP-890 part 1, what a partition leader asks before it appends a
     * transactional batch): whether each partition is in the producer's open transaction, adding nothing. As
     * Kafka answers: UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist (OPERATION_NOT_ATTEMPTED for
     * the others), INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED, CONCURRENT_TRANSACTIONS while a decision's
     * markers are written; else NONE for each partition in the open transaction, TRANSACTION_ABORTABLE for
     * each other one.
     */
    public CompletableFuture<Map<TxnPartition, TxnError>> verifyPartitions(String transactionalId, long producerId,
                                                                           short epoch,
                                                                           Collection<TxnPartition> partitions) {
        return turns.call(() -> {
            Map<TxnPartition, TxnError> result = new LinkedHashMap<>();
            if (refuseUnknown(partitions, result)) {
                return result;
            }
            TransactionMetadata txn = transactions.get(transactionalId);
            TxnError error = txn == null || txn.producerId != producerId ? TxnError.INVALID_PRODUCER_ID_MAPPING
                    : epoch != txn.epoch ? TxnError.PRODUCER_FENCED
                    : txn.state.preparing() ? TxnError.CONCURRENT_TRANSACTIONS : TxnError.NONE;
            for (TxnPartition p : partitions) {
                boolean added = txn != null && txn.state == TransactionState.ONGOING && txn.partitions.contains(p);
                result.put(p, error != TxnError.NONE ? error : added ? TxnError.NONE : TxnError.TRANSACTION_ABORTABLE);
            }
            return result;
        });
    }

    /** AddOffsetsToTxn: the transaction will commit offsets of {@code groupId}. */
    public CompletableFuture<TxnError> addOffsets(String transactionalId, long producerId, short epoch, String groupId) {
        return turns.afterEndingInTurn(transactionalId, () -> {
            TransactionMetadata txn = transactions.get(transactionalId);
            TxnError error = check(txn, producerId, epoch);
            if (error != TxnError.NONE) {
                return CompletableFuture.completedFuture(error);
            }
            boolean started = txn.state.idle();
            txn.begin(clock.millis(), TransactionVersion.V1);
            if (!started && !txn.unstored) {
                return CompletableFuture.completedFuture(TxnError.NONE);
            }
            txn.unstored = false;
            return unstoredOnFailure(txn, stateLog.store(txn, TxnError.NONE));
        });
    }

    /** TxnOffsetCommit up to v4 ({@link TransactionVersion#V1}): needs AddOffsetsToTxn first. */
    public CompletableFuture<TxnError> commitOffsets(String transactionalId, long producerId, short epoch,
                                                     String groupId, List<PendingOffset> offsets) {
        return commitOffsets(transactionalId, producerId, epoch, groupId, offsets, TransactionVersion.V1);
    }

    /**
     * TxnOffsetCommit: offsets of {@code groupId} made visible if the transaction commits. Under
     * {@link TransactionVersion#V1} the transaction must be open (AddOffsetsToTxn); under V2 (v5+) the commit
     * opens it itself, after the markers of the previous one, as Kafka's broker adds the group implicitly.
     */
    public CompletableFuture<TxnError> commitOffsets(String transactionalId, long producerId, short epoch,
                                                     String groupId, List<PendingOffset> offsets,
                                                     TransactionVersion version) {
        Supplier<CompletableFuture<TxnError>> work = () -> {
            TransactionMetadata txn = transactions.get(transactionalId);
            TxnError error = check(txn, producerId, epoch);
            if (error != TxnError.NONE) {
                return CompletableFuture.completedFuture(error);
            }
            if (txn.state != TransactionState.ONGOING) {
                if (version == TransactionVersion.V1 || !txn.state.idle()) {
                    return CompletableFuture.completedFuture(TxnError.INVALID_TXN_STATE);
                }
                txn.begin(clock.millis(), version);
            }
            txn.addOffsets(groupId, offsets);
            unstableOffsets.track(groupId, offsets);
            txn.lastUpdateMs = clock.millis();
            return stateLog.store(txn, TxnError.NONE);
        };
        return turns.call(() -> turns.inTurn(transactionalId,
                () -> version == TransactionVersion.V2 ? turns.afterEnding(transactionalId, work) : work.get()))
                .thenCompose(f -> f);
    }

    /**
     * EndTxn up to v4 ({@link TransactionVersion#V1}: the epoch stays); see
     * {@link #endTransaction(String, long, short, MarkerType, TransactionVersion)}.
     */
    public CompletableFuture<TxnError> endTransaction(String transactionalId, long producerId, short epoch,
                                                      MarkerType outcome) {
        return endTransaction(transactionalId, producerId, epoch, outcome, TransactionVersion.V1)
                .thenApply(EndTxnResult::error);
    }

    /**
     * EndTxn: commits or aborts; completes once the decision is stored. The markers (and a commit's
     * offsets) follow: {@link #describe} shows PrepareCommit / PrepareAbort until they are written.
     * Under {@link TransactionVersion#V2} (v5+) the decision bumps the epoch, the markers carry the new one,
     * and the answer names the id and epoch the producer goes on with (a new id at epoch 0 when the epoch is
     * exhausted); a retry with the epoch before the bump is answered the same, as by Kafka.
     */
    public CompletableFuture<EndTxnResult> endTransaction(String transactionalId, long producerId, short epoch,
                                                          MarkerType outcome, TransactionVersion version) {
        return endTransaction(transactionalId, producerId, epoch, outcome, version, Durability.FLUSH_POLICY);
    }

    /**
     * EndTxn up to v4 ({@link TransactionVersion#V1}) with {@code durability}; see
     * {@link #endTransaction(String, long, short, MarkerType, TransactionVersion, Durability)}.
     */
    public CompletableFuture<TxnError> endTransaction(String transactionalId, long producerId, short epoch,
                                                      MarkerType outcome, Durability durability) {
        return endTransaction(transactionalId, producerId, epoch, outcome, TransactionVersion.V1, durability)
                .thenApply(EndTxnResult::error);
    }

    /**
     * As {@link #endTransaction(String, long, short, MarkerType, TransactionVersion)}; with
     * {@link Durability#FSYNC} the decision is fsynced (group-committed) before the future completes, and each
     * marker before the transaction completes, whatever the flush policies of {@code __transaction_state} and
     * the transaction's partitions (decision 0032): a commit answered to the producer survives a power loss.
     */
    public CompletableFuture<EndTxnResult> endTransaction(String transactionalId, long producerId, short epoch,
                                                          MarkerType outcome, TransactionVersion version,
                                                          Durability durability) {
        return turns.call(() -> turns.inTurn(transactionalId,
                () -> ender.end(transactionalId, producerId, epoch, outcome, version, durability)))
                .thenCompose(f -> f);
    }

    /**
     * Whether a transactional batch of {@code producerId} at {@code epoch} may be written to the
     * partition: its transaction is open and added the partition (TRANSACTION_ABORTABLE when the epoch is
     * the transactional id's but the partition was not added). Safe from any thread.
     */
    public TxnError checkProduce(long producerId, short epoch, String topic, int partition) {
        return writable.check(producerId, epoch, topic, partition);
    }

    /** The {@code transaction.version} this broker finalizes: the highest a client may use. */
    public TransactionVersion transactionVersion() {
        return config.transactionVersion();
    }

    /**
     * Whether an open transaction holds an offset of {@code groupId} for the partition that it has
     * not committed yet (Kafka's unstable offset: OffsetFetch with RequireStable answers
     * UNSTABLE_OFFSET_COMMIT for it). Safe from any thread.
     */
    public boolean hasPendingOffset(String groupId, String topic, int partition) {
        return unstableOffsets.contains(groupId, topic, partition);
    }

    /** Every transactional id the coordinator knows. */
    public CompletableFuture<List<TransactionDescription>> list() {
        return turns.call(() -> transactions.values().stream().map(TransactionMetadata::describe).toList());
    }

    /** One transactional id, if known. */
    public CompletableFuture<Optional<TransactionDescription>> describe(String transactionalId) {
        return turns.call(() -> Optional.ofNullable(transactions.get(transactionalId)).map(TransactionMetadata::describe));
    }

    // ---- coordinator thread ----

    private CompletableFuture<InitProducerIdResult> init(String transactionalId, int timeoutMs, long expectedProducerId,
                                                         short expectedEpoch) {
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            return failed(TxnError.INVALID_TRANSACTION_TIMEOUT);
        }
        long now = clock.millis();
        TransactionMetadata txn = transactions.get(transactionalId);
        if (txn == null) {
            TransactionMetadata created = new TransactionMetadata(transactionalId, ingest.producerIds().nextProducerId(),
                    (short) 0, timeoutMs, now);
            transactions.put(transactionalId, created);
            writable.open(created.producerId, created.epoch, Set.of());
            return persisted(created);
        }
        if (txn.state.preparing()) {
            return failed(TxnError.CONCURRENT_TRANSACTIONS);
        }
        boolean expected = expectedProducerId >= 0;
        if (expected && expectedProducerId != txn.producerId
                && !(expectedProducerId == txn.previousProducerId && expectedEpoch >= Short.MAX_VALUE - 1)) {
            return failed(TxnError.PRODUCER_FENCED);
        }
        if (txn.state == TransactionState.ONGOING) {
            txn.timeoutMs = timeoutMs;
            txn.lastUpdateMs = now;
            // the previous instance is fenced by aborting its transaction; the retry then bumps the epoch again
            return fencing.abortFenced(txn).thenApply(error -> InitProducerIdResult.failure(
                    error == TxnError.NONE ? TxnError.CONCURRENT_TRANSACTIONS : error));
        }
        if (expected && expectedEpoch != txn.epoch && expectedEpoch != txn.lastProducerEpoch) {
            return failed(TxnError.PRODUCER_FENCED);
        }
        txn.timeoutMs = timeoutMs;
        txn.lastUpdateMs = now;
        fencing.nextEpoch(txn, expected ? expectedEpoch : null);
        txn.state = TransactionState.EMPTY;
        txn.startTimeMs = -1L;
        txn.partitions.clear();
        unstableOffsets.untrack(txn);
        txn.pendingOffsets.clear();
        writable.open(txn.producerId, txn.epoch, Set.of());
        return persisted(txn);
    }

    private static CompletableFuture<InitProducerIdResult> failed(TxnError error) {
        return CompletableFuture.completedFuture(InitProducerIdResult.failure(error));
    }

    /** The id and epoch of {@code txn} once its state is stored, or COORDINATOR_NOT_AVAILABLE if it cannot be. */
    private CompletableFuture<InitProducerIdResult> persisted(TransactionMetadata txn) {
        long producerId = txn.producerId;
        short epoch = txn.epoch;
        return stateLog.store(txn, TxnError.NONE).thenApply(error -> error == TxnError.NONE
                ? new InitProducerIdResult(TxnError.NONE, producerId, epoch) : InitProducerIdResult.failure(error));
    }

    /**
     * Adds {@code partitions} and offers the new state; answers once it is in the ring, when the partitions
     * become writable ({@link #checkProduce}): a batch offered after that comes after the state record.
     */
    private CompletableFuture<PartitionsAdded> add(String transactionalId, long producerId, short epoch,
                                                   Collection<TxnPartition> partitions, TransactionVersion version) {
        Map<TxnPartition, TxnError> result = new LinkedHashMap<>();
        TransactionMetadata txn = transactions.get(transactionalId);
        TxnError error = check(txn, producerId, epoch);
        if (error != TxnError.NONE) {
            partitions.forEach(p -> result.put(p, error));
            return CompletableFuture.completedFuture(new PartitionsAdded(result, CompletableFuture.completedFuture(TxnError.NONE)));
        }
        if (refuseUnknown(partitions, result)) {
            return CompletableFuture.completedFuture(new PartitionsAdded(result, CompletableFuture.completedFuture(TxnError.NONE)));
        }
        boolean started = txn.state.idle();
        txn.begin(clock.millis(), version);
        boolean added = txn.partitions.addAll(partitions);
        partitions.forEach(p -> result.put(p, TxnError.NONE));
        if (!started && !added && !txn.unstored) {
            return CompletableFuture.completedFuture(new PartitionsAdded(result, CompletableFuture.completedFuture(TxnError.NONE)));
        }
        txn.unstored = false;
        OrderedOffers.Offered offered = stateLog.offer(txn, Durability.FLUSH_POLICY);
        CompletableFuture<TxnError> stored = unstoredOnFailure(txn,
                TransactionLog.stored(txn, offered.stored(), TxnError.NONE));
        // writable only once the state is in the ring: a batch written before it could belong to a transaction
        // a crash forgets; one written after it is acknowledged only after the state is stored
        return offered.inRing().handle((ok, failure) -> {
            if (failure != null) {
                return new PartitionsAdded(withError(partitions, TxnError.COORDINATOR_NOT_AVAILABLE), stored);
            }
            if (txn.state == TransactionState.ONGOING) {
                writable.open(txn.producerId, txn.epoch, Set.copyOf(txn.partitions));
            }
            return new PartitionsAdded(result, stored);
        });
    }

    /**
     * {@code stored}, once a failure to store has marked {@code txn} {@link TransactionMetadata#unstored} on the
     * coordinator thread: the answer (COORDINATOR_NOT_AVAILABLE) reaches the client after the mark, so its retry
     * stores the state again instead of finding the change made and answering NONE with nothing stored.
     */
    private CompletableFuture<TxnError> unstoredOnFailure(TransactionMetadata txn, CompletableFuture<TxnError> stored) {
        return stored.thenCompose(error -> error == TxnError.NONE ? CompletableFuture.completedFuture(error)
                : turns.call(() -> {
                    txn.unstored = true;
                    return error;
                }).exceptionally(closed -> error));
    }

    /**
     * Whether a partition of {@code partitions} does not exist; then {@code result} holds Kafka's answer:
     * UNKNOWN_TOPIC_OR_PARTITION for each such partition, OPERATION_NOT_ATTEMPTED for the others.
     */
    private boolean refuseUnknown(Collection<TxnPartition> partitions, Map<TxnPartition, TxnError> result) {
        List<TxnPartition> unknown = partitions.stream().filter(p -> MarkerWriter.partitionLog(log, p).isEmpty()).toList();
        if (unknown.isEmpty()) {
            return false;
        }
        for (TxnPartition p : partitions) {
            result.put(p, unknown.contains(p) ? TxnError.UNKNOWN_TOPIC_OR_PARTITION : TxnError.OPERATION_NOT_ATTEMPTED);
        }
        return true;
    }

    /** The producer-id and epoch checks every call of an open transaction makes, then the state check. */
    private static TxnError check(TransactionMetadata txn, long producerId, short epoch) {
        if (txn == null || txn.producerId != producerId) {
            return TxnError.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch != txn.epoch) {
            return TxnError.PRODUCER_FENCED;
        }
        if (txn.state.preparing()) {
            return TxnError.CONCURRENT_TRANSACTIONS;
        }
        return TxnError.NONE;
    }

    /** Stops the coordinator thread; calls after this fail. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Transaction coordinator thread still busy 5 s after close");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
