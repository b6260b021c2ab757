/**
 * The Kafka transaction APIs over the broker's one
 * {@link io.tributary.transactions.TransactionCoordinator}: FindCoordinator answers for
 * transaction keys in {@code group}, InitProducerId in {@code api}; here AddPartitionsToTxn,
 * AddOffsetsToTxn, TxnOffsetCommit, EndTxn, ListTransactions and DescribeTransactions. Each handler
 * decodes with kafka-clients' message classes, calls the coordinator, and answers on the
 * connection's event loop when its future completes.
 */
package io.tributary.kafka.txn;
