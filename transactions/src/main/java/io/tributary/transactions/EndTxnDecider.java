package io.tributary.transactions;

import io.tributary.pipeline.Durability;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * EndTxn: which answer a commit or abort gets in each state of the transactional id, and, when it is a new
 * decision, the decision itself (handed to {@link MarkerWriter}). Exists apart because the rules differ by
 * transaction version and carry most of Kafka's retry semantics: at {@link TransactionVersion#V1} the epoch
 * stays and a repeated EndTxn is answered from the state; at V2 (KIP-890 part 2) every decision bumps the
 * epoch (or rotates the producer id) and the epoch before the bump is accepted as a retry. Coordinator thread.
 */
final class EndTxnDecider {
    private final IngestPipeline ingest;
    private final Clock clock;
    private final Map<String, TransactionMetadata> transactions;
    private final UnstableOffsets unstableOffsets;
    private final MarkerWriter markers;

    EndTxnDecider(CoordinatorContext context, MarkerWriter markers) {
        this.ingest = context.ingest();
        this.clock = context.clock();
        this.transactions = context.transactions();
        this.unstableOffsets = context.unstableOffsets();
        this.markers = markers;
    }

    /**
     * Commits or aborts the transaction of {@code transactionalId} as an EndTxn of {@code version}; completes
     * once the decision is stored (the markers follow) or with the refusal.
     */
    CompletableFuture<EndTxnResult> end(String transactionalId, long producerId, short epoch, MarkerType outcome,
                                        TransactionVersion version, Durability durability) {
        return version == TransactionVersion.V2
                ? endV2(transactionalId, producerId, epoch, outcome, durability)
                : endV1(transactionalId, producerId, epoch, outcome, durability).thenApply(error -> error == TxnError.NONE
                        ? new EndTxnResult(TxnError.NONE, -1L, (short) -1) : EndTxnResult.failure(error));
    }

    /** EndTxn up to v4 ({@link TransactionVersion#V1}): the epoch stays, a retry of a completed decision is NONE. */
    private CompletableFuture<TxnError> endV1(String transactionalId, long producerId, short epoch, MarkerType outcome,
                                              Durability durability) {
        TransactionMetadata txn = transactions.get(transactionalId);
        if (txn == null || txn.producerId != producerId) {
            return CompletableFuture.completedFuture(TxnError.INVALID_PRODUCER_ID_MAPPING);
        }
        if (epoch != txn.epoch) {
            return CompletableFuture.completedFuture(TxnError.PRODUCER_FENCED);
        }
        TransactionState done = outcome == MarkerType.COMMIT ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        TransactionState prepare = outcome == MarkerType.COMMIT ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        return switch (txn.state) {
            case ONGOING -> markers.writeMarkers(txn, outcome, prepare, durability);
            case COMPLETE_COMMIT, COMPLETE_ABORT -> CompletableFuture.completedFuture(
                    txn.state == done ? TxnError.NONE : TxnError.INVALID_TXN_STATE);
            case PREPARE_COMMIT, PREPARE_ABORT -> CompletableFuture.completedFuture(
                    txn.state == prepare ? TxnError.CONCURRENT_TRANSACTIONS : TxnError.INVALID_TXN_STATE);
            case PREPARE_EPOCH_FENCE -> CompletableFuture.completedFuture(TxnError.PRODUCER_FENCED);
            default -> CompletableFuture.completedFuture(TxnError.INVALID_TXN_STATE);
        };
    }

    /**
     * EndTxn v5+ (Kafka's {@code endTransaction} for transaction version 2): besides the epoch of the
     * transaction, the epoch before the last bump is accepted in a decided or completed state as a retry of
     * the EndTxn that bumped it (also across a rotation of the producer id), answered with the current id and
     * epoch; a completed or empty transactional id may be aborted again (a new bump, no markers).
     */
    private CompletableFuture<EndTxnResult> endV2(String transactionalId, long producerId, short epoch,
                                                  MarkerType outcome, Durability durability) {
        TransactionMetadata txn = transactions.get(transactionalId);
        if (txn == null) {
            return endFailure(TxnError.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean fencing = txn.state == TransactionState.PREPARE_EPOCH_FENCE;
        boolean retryOnOverflow = !fencing && txn.previousProducerId == producerId
                && epoch == Short.MAX_VALUE - 1 && txn.epoch == 0;
        boolean retryOnBump = !fencing && txn.producerId == producerId && txn.epoch == epoch + 1;
        if (txn.producerId != producerId && !retryOnOverflow) {
            return endFailure(TxnError.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean validEpoch = switch (txn.state) {
            case PREPARE_COMMIT, PREPARE_ABORT -> retryOnBump;
            case COMPLETE_COMMIT, COMPLETE_ABORT -> retryOnBump || retryOnOverflow || epoch == txn.epoch;
            default -> epoch == txn.epoch;
        };
        if (!validEpoch) {
            return endFailure(TxnError.PRODUCER_FENCED);
        }
        boolean retry = retryOnBump || retryOnOverflow;
        boolean commit = outcome == MarkerType.COMMIT;
        return switch (txn.state) {
            case ONGOING -> prepareWithBump(txn, outcome, false, durability);
            case COMPLETE_COMMIT -> commit
                    ? (retry ? current(txn) : endFailure(TxnError.INVALID_TXN_STATE))
                    : (retry ? endFailure(TxnError.INVALID_TXN_STATE) : prepareWithBump(txn, outcome, true, durability));
            case COMPLETE_ABORT -> commit ? endFailure(TxnError.INVALID_TXN_STATE)
                    : (retry ? current(txn) : prepareWithBump(txn, outcome, true, durability));
            case EMPTY -> commit ? endFailure(TxnError.INVALID_TXN_STATE) : prepareWithBump(txn, outcome, true, durability);
            case PREPARE_COMMIT -> endFailure(commit ? TxnError.CONCURRENT_TRANSACTIONS : TxnError.INVALID_TXN_STATE);
            case PREPARE_ABORT -> endFailure(commit ? TxnError.INVALID_TXN_STATE : TxnError.CONCURRENT_TRANSACTIONS);
            case PREPARE_EPOCH_FENCE, DEAD -> endFailure(TxnError.PRODUCER_FENCED);
        };
    }

    private static CompletableFuture<EndTxnResult> endFailure(TxnError error) {
        return CompletableFuture.completedFuture(EndTxnResult.failure(error));
    }

    /** A retried EndTxn: the id and epoch the producer was told the first time. */
    private static CompletableFuture<EndTxnResult> current(TransactionMetadata txn) {
        return CompletableFuture.completedFuture(new EndTxnResult(TxnError.NONE, txn.producerId, txn.epoch));
    }

    /**
     * Decides a V2 transaction with the next epoch: markers and the stored decision carry it. When the epoch
     * is exhausted (it reaches {@code Short.MAX_VALUE} here), a new producer id is allocated and stored with
     * the decision, and the transactional id moves to it at epoch 0 once the markers are written; the client
     * is told the new id right away. {@code empty}: nothing was added (an abort of a completed or empty
     * transaction), so no marker is written.
     */
    private CompletableFuture<EndTxnResult> prepareWithBump(TransactionMetadata txn, MarkerType type, boolean empty,
                                                            Durability durability) {
        if (empty) {
            txn.partitions.clear();
            unstableOffsets.untrack(txn);
            txn.pendingOffsets.clear();
            txn.startTimeMs = clock.millis();
        }
        txn.version = TransactionVersion.V2;
        if (txn.epoch >= Short.MAX_VALUE - 1) {
            txn.nextProducerId = ingest.producerIds().nextProducerId();
        }
        txn.lastProducerEpoch = txn.epoch;
        txn.epoch++;
        long producerId = txn.nextProducerId >= 0 ? txn.nextProducerId : txn.producerId;
        short epoch = txn.nextProducerId >= 0 ? 0 : txn.epoch;
        TransactionState prepare = type == MarkerType.COMMIT ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        return markers.writeMarkers(txn, type, prepare, durability).thenApply(error -> error == TxnError.NONE
                ? new EndTxnResult(TxnError.NONE, producerId, epoch) : EndTxnResult.failure(error));
    }
}
