package io.tributary.transactions;

import java.util.Set;

/**
 * A transactional id as DescribeTransactions and ListTransactions show it.
 *
 * @param startTimeMs when the last transaction started (kept once it completed, as Kafka keeps it), -1 when
 *                    none has since the last InitProducerId
 */
public record TransactionDescription(String transactionalId, long producerId, short producerEpoch,
                                     TransactionState state, int timeoutMs, long startTimeMs,
                                     Set<TxnPartition> partitions) {
}
