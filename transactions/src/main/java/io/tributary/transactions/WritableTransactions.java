package io.tributary.transactions;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each producer id may write now: the epoch it holds and the partitions its open transaction added.
 *
 * <p>Exists because it is the one piece of coordinator state read off the coordinator thread: the produce
 * path asks {@link #check} for every transactional batch from the request threads, so it reads a concurrent
 * copy the coordinator thread replaces whole ({@link #open}) rather than the {@link TransactionMetadata} it
 * owns. Only the coordinator thread writes it.
 */
final class WritableTransactions {
    private final Map<Long, Writable> byProducerId = new ConcurrentHashMap<>();

    /** {@code producerId} may now write at {@code epoch} to {@code partitions} (and nowhere with any other epoch). */
    void open(long producerId, short epoch, Set<TxnPartition> partitions) {
        byProducerId.put(producerId, new Writable(epoch, partitions));
    }

    /** {@code producerId} may no longer write at all (its id was rotated or expired). */
    void forget(long producerId) {
        byProducerId.remove(producerId);
    }

    /**
     * Whether a transactional batch of {@code producerId} at {@code epoch} may be written to the partition:
     * INVALID_TXN_STATE for an unknown producer or a newer epoch, INVALID_PRODUCER_EPOCH for an older one,
     * TRANSACTION_ABORTABLE for a partition its transaction did not add. Safe from any thread.
     */
    TxnError check(long producerId, short epoch, String topic, int partition) {
        Writable open = byProducerId.get(producerId);
        if (open == null) {
            return TxnError.INVALID_TXN_STATE;
        }
        if (epoch < open.epoch) {
            return TxnError.INVALID_PRODUCER_EPOCH;
        }
        if (epoch != open.epoch) {
            return TxnError.INVALID_TXN_STATE;
        }
        return open.partitions.contains(new TxnPartition(topic, partition)) ? TxnError.NONE
                : TxnError.TRANSACTION_ABORTABLE;
    }

    /** What a producer may write now: its epoch and its transaction's partitions. */
    private record Writable(short epoch, Set<TxnPartition> partitions) {
    }
}
