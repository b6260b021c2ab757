package io.tributary.kafka.api;

import io.tributary.transactions.PartitionsAdded;
import io.tributary.transactions.TxnPartition;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Adds partitions to a producer's transaction on behalf of its Produce (v12+, {@code transaction.version}
 * 2, KIP-890 part 2), as Kafka's broker does through its AddPartitionsToTxnManager; the broker's is the
 * transaction coordinator's {@code addPartitionsAhead}. One error per partition, answered once the new
 * transaction state is in the ingest ring: batches offered after the answer are committed after it, and
 * {@link PartitionsAdded#stored()} says whether it was stored.
 */
@FunctionalInterface
public interface ImplicitPartitions {
    CompletableFuture<PartitionsAdded> add(String transactionalId, long producerId, short producerEpoch,
                                           Collection<TxnPartition> partitions);
}
