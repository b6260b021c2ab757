package io.tributary.transactions;

import java.util.Set;

/**
 * A transactional id as DescribeTransactions and ListTransactions show it.
 *
 * @param startTimeMs when the open transaction started, -1 if none is open
 */
public record TransactionDescription(String transactionalId, long producerId, short producerEpoch,
                                     TransactionState state, int timeoutMs, long startTimeMs,
                                     Set<TxnPartition> partitions) {
}
