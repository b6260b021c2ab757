package io.tributary.transactions;

import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.OfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Ends a decided transaction (Kafka's TransactionMarkerChannelManager and the completion half of its
 * TransactionCoordinator, for one broker): stores the decision, writes a COMMIT or ABORT marker into each of
 * its partitions through {@link IngestPipeline#offerMarker}, hands a commit's offsets to {@link GroupOffsets},
 * and completes the transaction.
 *
 * <p>Exists apart from the coordinator because everything here runs after the caller has been answered: the
 * decision is what the producer waits for, the rest goes on (and {@link TransactionMetadata#ending} tells
 * the coordinator's next call for the id when it is over). EndTxn, fencing, the timeout abort and the
 * recovery of decided transactions at start all end here. Coordinator thread, except the marker callbacks,
 * which run on the pipeline's commit thread and hop back.
 */
final class MarkerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(MarkerWriter.class);
    private static final long MAX_MARKER_RETRY_MS = 64;
    /** First and longest wait before a marker whose write failed is offered again. */
    private static final long FIRST_MARKER_BACKOFF_MS = 10;
    private static final long MAX_MARKER_BACKOFF_MS = 1_000;

    private final LogManager log;
    private final IngestPipeline ingest;
    private final TransactionLog stateLog;
    private final GroupOffsets groupOffsets;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final WritableTransactions writable;
    private final UnstableOffsets unstableOffsets;

    MarkerWriter(CoordinatorContext context) {
        this.log = context.log();
        this.ingest = context.ingest();
        this.stateLog = context.stateLog();
        this.groupOffsets = context.groupOffsets();
        this.clock = context.clock();
        this.thread = context.thread();
        this.writable = context.writable();
        this.unstableOffsets = context.unstableOffsets();
    }

    /**
     * Moves the transaction to {@code prepare} and stores that decision, then writes {@code type} markers
     * with its current epoch into each of its partitions (again after a failed write, until each is written or its
     * partition is gone), then (a commit) commits its offsets, and completes it. Returns once the decision is
     * stored (COORDINATOR_NOT_AVAILABLE if it cannot be); the rest goes on, and {@link TransactionMetadata#ending}
     * completes when the transaction has.
     */
    CompletableFuture<TxnError> writeMarkers(TransactionMetadata txn, MarkerType type, TransactionState prepare) {
        return writeMarkers(txn, type, prepare, Durability.FLUSH_POLICY);
    }

    /**
     * As {@link #writeMarkers(TransactionMetadata, MarkerType, TransactionState)}, storing the decision and the
     * markers with {@code durability}. With FSYNC a marker is forced before the Complete state is offered, so a
     * stored Complete state never outlives a marker lost with the page cache.
     */
    CompletableFuture<TxnError> writeMarkers(TransactionMetadata txn, MarkerType type, TransactionState prepare,
                                             Durability durability) {
        CompletableFuture<Void> ending = new CompletableFuture<>();
        txn.ending = ending;
        txn.state = prepare;
        txn.lastUpdateMs = clock.millis();
        // the epoch stays known with no partition writable: the fenced epoch gets INVALID_PRODUCER_EPOCH
        writable.open(txn.producerId, txn.epoch, Set.of());
        List<PartitionLog> targets = new ArrayList<>();
        for (TxnPartition p : txn.partitions) {
            partitionLog(log, p).ifPresent(targets::add);
        }
        CompletableFuture<TxnError> markers = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(targets.size());
        TxnError[] failure = {TxnError.NONE};
        if (targets.isEmpty()) {
            markers.complete(TxnError.NONE);
        }
        // the decision is stored before any marker: a restart finds it and writes the markers again
        CompletableFuture<TxnError> decided = stateLog.store(txn, TxnError.NONE, durability);
        decided.thenAcceptAsync(stored -> offerMarkers(txn, type, targets, left, failure, markers, durability), thread);
        markers.thenComposeAsync(error -> {
            if (type == MarkerType.COMMIT && !txn.pendingOffsets.isEmpty()) {
                return commitGroupOffsets(txn).thenApplyAsync(offsetsError -> {
                    complete(txn, type, error != TxnError.NONE ? error : offsetsError);
                    return null;
                }, thread);
            }
            complete(txn, type, error);
            return CompletableFuture.completedFuture(null);
        }, thread).whenComplete((ok, bug) -> {
            if (bug != null) {
                LOG.error("Ending the transaction of {} failed", txn.transactionalId, bug);
            }
            ending.complete(null);
        });
        return decided;
    }

    private void offerMarkers(TransactionMetadata txn, MarkerType type, List<PartitionLog> targets, AtomicInteger left,
                              TxnError[] failure, CompletableFuture<TxnError> markers, Durability durability) {
        for (PartitionLog target : targets) {
            writeMarker(txn.transactionalId, target, txn.producerId, txn.epoch, type, durability, error -> {
                if (error != AppendError.NONE) {
                    failure[0] = TxnError.UNKNOWN_SERVER_ERROR;
                }
                if (left.decrementAndGet() == 0) {
                    markers.complete(failure[0]);
                }
            }, FIRST_MARKER_BACKOFF_MS);
        }
    }

    /**
     * Writes one marker of a decided transaction, offering it again after a failed write (backoff doubling up to
     * {@link #MAX_MARKER_BACKOFF_MS}) until it is written, as Kafka's coordinator resends markers until they are:
     * completing the transaction without it would leave the partition's transaction open (its LSO stuck) until the
     * orphan abort at the next start. It gives up (NONE) only once the partition no longer exists, and with
     * STORAGE_ERROR once the pipeline or the coordinator is closed (a restart finds the decision and writes the
     * markers again). {@code done} runs on the commit or coordinator thread.
     */
    private void writeMarker(String transactionalId, PartitionLog target, long producerId, short epoch, MarkerType type,
                             Durability durability, Consumer<AppendError> done, long backoffMs) {
        offerMarker(target, producerId, epoch, type, durability, error -> {
            if (error == null || error == AppendError.NONE) {
                done.accept(error == null ? AppendError.STORAGE_ERROR : error);
                return;
            }
            LOG.warn("Transaction marker {} of {} (producer {} epoch {}) not written to {}-{}: {}; retrying in {} ms",
                    type, transactionalId, producerId, epoch, target.topic(), target.partition(), error, backoffMs);
            try {
                thread.schedule(() -> {
                    if (!exists(target)) {
                        LOG.info("Partition {}-{} no longer exists: transaction marker {} of {} dropped",
                                target.topic(), target.partition(), type, transactionalId);
                        done.accept(AppendError.NONE);
                    } else {
                        writeMarker(transactionalId, target, producerId, epoch, type, durability, done,
                                Math.min(backoffMs * 2, MAX_MARKER_BACKOFF_MS));
                    }
                }, backoffMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                done.accept(AppendError.STORAGE_ERROR);
            }
        }, 1);
    }

    /** Whether {@code target} is still the partition its topic has (not deleted, nor deleted and created again). */
    private boolean exists(PartitionLog target) {
        return partitionLog(log, new TxnPartition(target.topic(), target.partition())).filter(p -> p == target)
                .isPresent();
    }

    private CompletableFuture<TxnError> commitGroupOffsets(TransactionMetadata txn) {
        List<CompletableFuture<Void>> commits = new ArrayList<>();
        txn.pendingOffsets.forEach((group, offsets) -> commits.add(groupOffsets.commit(group, List.copyOf(offsets))));
        return CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).handle((ok, failure) -> {
            if (failure != null) {
                LOG.error("Offsets of committed transaction {} not committed: {}", txn.transactionalId, failure.toString());
                return TxnError.UNKNOWN_SERVER_ERROR;
            }
            return TxnError.NONE;
        });
    }

    /**
     * Completes the transaction in memory and offers its Complete state for storage without waiting: the
     * transactional id's next state record is offered after it ({@link TransactionLog} keeps the order), and
     * a restart before it is stored finds the decision and writes the markers again, which changes nothing.
     */
    private void complete(TransactionMetadata txn, MarkerType type, TxnError error) {
        if (error != TxnError.NONE) {
            LOG.error("Transaction of {} (producer {} epoch {}) completed as {} with an error: {}", txn.transactionalId,
                    txn.producerId, txn.epoch, type, error);
        }
        txn.state = type == MarkerType.COMMIT ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        if (txn.nextProducerId >= 0) {
            // the epoch of a V2 transaction was exhausted: its id goes on as the one the client was told
            writable.forget(txn.producerId);
            txn.previousProducerId = txn.producerId;
            txn.producerId = txn.nextProducerId;
            txn.epoch = 0;
            txn.nextProducerId = -1L;
            writable.open(txn.producerId, txn.epoch, Set.of());
        }
        unstableOffsets.untrack(txn);
        txn.pendingOffsets.clear();
        // as Kafka's prepareComplete: the partitions go, the start time stays (DescribeTransactions shows it)
        txn.partitions.clear();
        txn.lastUpdateMs = clock.millis();
        txn.ending = null;
        stateLog.store(txn, TxnError.NONE);
    }

    /**
     * Offers one marker (stored as the partition's flush policy says), retrying on back-pressure from the
     * coordinator thread; {@code done} runs on the commit thread. For a marker that belongs to no stored
     * transaction (an orphan aborted at start).
     */
    void offerMarker(PartitionLog target, long producerId, short epoch, MarkerType type, Consumer<AppendError> done) {
        offerMarker(target, producerId, epoch, type, Durability.FLUSH_POLICY,
                error -> done.accept(error == null ? AppendError.STORAGE_ERROR : error), 1);
    }

    /** As the method above with {@code durability}; {@code done} gets null (no write error) if the pipeline closed. */
    private void offerMarker(PartitionLog target, long producerId, short epoch, MarkerType type, Durability durability,
                             Consumer<AppendError> done, long retryMs) {
        OfferResult offered = ingest.offerMarker(target, producerId, epoch, type, 0, durability,
                result -> done.accept(result.error()));
        if (offered == OfferResult.BACK_PRESSURED) {
            thread.schedule(() -> offerMarker(target, producerId, epoch, type, durability, done,
                    Math.min(retryMs * 2, MAX_MARKER_RETRY_MS)), retryMs, TimeUnit.MILLISECONDS);
        } else if (offered == OfferResult.CLOSED) {
            done.accept(null);
        }
    }

    /** The partition {@code p} names, if it exists. */
    static Optional<PartitionLog> partitionLog(LogManager log, TxnPartition p) {
        Optional<Topic> topic = log.topic(p.topic());
        if (topic.isEmpty() || p.partition() < 0 || p.partition() >= topic.get().partitionCount()) {
            return Optional.empty();
        }
        return Optional.of(topic.get().partition(p.partition()));
    }
}
