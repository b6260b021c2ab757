package io.tributary.transactions;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What adding partitions ahead of a Produce answers ({@link TransactionCoordinator#addPartitionsAhead}): one
 * error per partition, known once the transaction's new state is in the ingest ring, and {@code stored}, the
 * outcome of storing that state (NONE, or COORDINATOR_NOT_AVAILABLE when it could not be stored). A batch
 * offered to the pipeline after the answer is written and committed after the state record, so {@code stored}
 * is complete by the time such a batch's append completes.
 */
public record PartitionsAdded(Map<TxnPartition, TxnError> errors, CompletableFuture<TxnError> stored) {
}
