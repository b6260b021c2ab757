/**
 * The transaction coordinator, independent of any wire protocol: Kafka transactions (a
 * transactional id, its producer id and epoch, the partitions and groups of the open transaction,
 * commit and abort through markers the ingest pipeline writes into each partition), and the timer
 * that aborts transactions their producer abandoned. The Kafka adapter translates
 * InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn, ListTransactions
 * and DescribeTransactions into calls on {@link io.tributary.transactions.TransactionCoordinator}.
 *
 * <p>Threading: one coordinator thread owns every transaction's state; callers get
 * {@link java.util.concurrent.CompletableFuture}s completed on it, and marker completions hop back
 * to it from the pipeline's commit thread. Only {@link io.tributary.transactions.TransactionCoordinator#checkProduce}
 * and {@link io.tributary.transactions.TransactionCoordinator#hasPendingOffset} read, from any thread, the
 * concurrent views that thread keeps ({@code WritableTransactions}, {@code UnstableOffsets}).
 *
 * <p>State is stored in the internal topic {@code __transaction_state} and replayed at start.
 *
 * <p>Depends on: core-log (topic lookup), disruptor-pipeline (markers, producer ids, appends),
 * delivery (its record batch codec), slf4j.
 */
package io.tributary.transactions;
