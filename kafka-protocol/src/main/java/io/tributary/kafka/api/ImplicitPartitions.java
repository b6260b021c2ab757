package io.tributary.kafka.api;

import io.tributary.transactions.TxnError;
import io.tributary.transactions.TxnPartition;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Adds partitions to a producer's transaction on behalf of its Produce (v12+, {@code transaction.version}
 * 2, KIP-890 part 2), as Kafka's broker does through its AddPartitionsToTxnManager; the broker's is the
 * transaction coordinator's {@code addPartitions(..., TransactionVersion.V2)}. One error per partition.
 */
@FunctionalInterface
public interface ImplicitPartitions {
    CompletableFuture<Map<TxnPartition, TxnError>> add(String transactionalId, long producerId, short producerEpoch,
                                                      Collection<TxnPartition> partitions);
}
