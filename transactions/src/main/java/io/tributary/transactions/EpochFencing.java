package io.tributary.transactions;

import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moves a transactional id to a new epoch (or a new producer id once the epoch is exhausted) so that the
 * producer holding the old one is fenced: a new instance's InitProducerId ({@link #nextEpoch}, or
 * {@link #abortFenced} while a transaction is open) and the timer that aborts transactions past their timeout
 * ({@link #abortTimedOut}, which also forgets ids idle past {@code transactional.id.expiration.ms}). Kafka 4.4
 * spreads this over its TransactionCoordinator ({@code prepareFenceProducerEpoch},
 * {@code prepareIncrementProducerEpoch}, {@code abortTimedOutTransactions}) and TransactionStateManager; it is
 * one class here because every path that bumps an epoch for fencing must leave the same fields (last epoch,
 * previous and next producer id) behind for the retries Kafka's clients make. Coordinator thread.
 */
final class EpochFencing {
    private static final Logger LOG = LoggerFactory.getLogger(EpochFencing.class);

    private final TransactionConfig config;
    private final IngestPipeline ingest;
    private final Clock clock;
    private final TransactionLog stateLog;
    private final Map<String, TransactionMetadata> transactions;
    private final WritableTransactions writable;
    private final MarkerWriter markers;

    EpochFencing(CoordinatorContext context, MarkerWriter markers) {
        this.config = context.config();
        this.ingest = context.ingest();
        this.clock = context.clock();
        this.stateLog = context.stateLog();
        this.transactions = context.transactions();
        this.writable = context.writable();
        this.markers = markers;
    }

    /**
     * Aborts the open transaction of a producer that is being fenced — by a new instance (InitProducerId) or by
     * the timeout — as Kafka 4.4 does ({@code prepareFenceProducerEpoch}, then an abort at the level this broker
     * finalizes): the abort is decided with the next epoch (the highest one stays) and its markers carry the
     * same producer id with that epoch, so they end the transaction the old producer opened. At level 2 the
     * decision is a version 2 one: from an exhausted epoch it also allocates the next producer id, which the
     * transactional id moves to once the markers are written, and the fenced producer's EndTxn abort with its
     * old epoch is answered as a retry (the bumped epoch, so a timed-out producer goes on). Returns once the
     * decision is stored.
     */
    CompletableFuture<TxnError> abortFenced(TransactionMetadata txn) {
        txn.lastProducerEpoch = -1;
        if (config.transactionVersion() == TransactionVersion.V2) {
            txn.version = TransactionVersion.V2;
            txn.lastProducerEpoch = txn.epoch;
            if (txn.epoch >= Short.MAX_VALUE - 1) {
                txn.nextProducerId = ingest.producerIds().nextProducerId();
            }
        }
        if (txn.epoch < Short.MAX_VALUE) {
            txn.epoch++;
        }
        return markers.writeMarkers(txn, MarkerType.ABORT, TransactionState.PREPARE_ABORT);
    }

    /**
     * The epoch an InitProducerId of a known, idle id moves to, as Kafka 4.4's coordinator
     * ({@code prepareIncrementProducerEpoch} / {@code prepareProducerIdRotation}): the next one, or a new producer
     * id at epoch 0 once the epoch is exhausted. A client resuming with {@code expectedEpoch} (v3+) that names
     * the epoch before the last bump is retrying an InitProducerId or EndTxn whose answer it lost: it gets the
     * current epoch, not a new bump.
     */
    void nextEpoch(TransactionMetadata txn, Short expectedEpoch) {
        boolean retry = expectedEpoch != null && expectedEpoch != txn.epoch;
        if (txn.epoch >= Short.MAX_VALUE - 1 && !retry) {
            writable.forget(txn.producerId);
            txn.lastProducerEpoch = expectedEpoch != null ? txn.epoch : -1;
            txn.previousProducerId = txn.producerId;
            txn.producerId = ingest.producerIds().nextProducerId();
            txn.epoch = 0;
        } else if (!retry) {
            txn.lastProducerEpoch = expectedEpoch != null ? txn.epoch : -1;
            txn.epoch++;
        }
    }

    /** Aborts, with a bumped epoch, every open transaction past its timeout; forgets expired idle ids. */
    void abortTimedOut() {
        long now = clock.millis();
        try {
            for (TransactionMetadata txn : List.copyOf(transactions.values())) {
                if (txn.state == TransactionState.ONGOING && now - txn.startTimeMs > txn.timeoutMs) {
                    LOG.info("Aborting transaction of {} (producer {} epoch {}): open for {} ms, its timeout is {} ms",
                            txn.transactionalId, txn.producerId, txn.epoch, now - txn.startTimeMs, txn.timeoutMs);
                    abortFenced(txn);
                } else if (txn.state.idle() && now - txn.lastUpdateMs > config.idExpirationMs()) {
                    transactions.remove(txn.transactionalId);
                    writable.forget(txn.producerId);
                    txn.state = TransactionState.DEAD;
                    stateLog.delete(txn.transactionalId);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Transaction timeout check failed", e);
        }
    }
}
