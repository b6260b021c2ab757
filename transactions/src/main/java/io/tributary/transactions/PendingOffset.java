package io.tributary.transactions;

/** An offset a transaction commits for a group when it commits (TxnOffsetCommit); dropped on abort. */
public record PendingOffset(String topic, int partition, long offset, int leaderEpoch, String metadata) {
}
