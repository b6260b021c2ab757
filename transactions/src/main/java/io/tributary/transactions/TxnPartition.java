package io.tributary.transactions;

/** A partition of a transaction. */
public record TxnPartition(String topic, int partition) {
}
