package io.tributary.transactions;

import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.MarkerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's start (Kafka's TransactionStateManager loading {@code __transaction_state}): replays the
 * stored states into the coordinator's maps and views, finishes the transactions whose markers were being
 * written when the last run stopped, and aborts the transactions open in partitions that no stored state
 * knows. Exists apart because it runs once, before any call, and is the one place that reconciles the
 * stored states with what the partitions hold. Coordinator thread.
 */
final class TransactionRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionRecovery.class);

    private final CoordinatorContext context;
    private final MarkerWriter markers;

    TransactionRecovery(CoordinatorContext context, MarkerWriter markers) {
        this.context = context;
        this.markers = markers;
    }

    /**
     * At start: the stored states, then the unfinished markers, then the orphans.
     *
     * @throws java.io.UncheckedIOException if {@code __transaction_state} cannot be read
     */
    void load() {
        Map<String, TransactionMetadata> stored;
        try {
            stored = context.stateLog().replay();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + TransactionLog.TOPIC, e);
        }
        int unfinished = 0;
        for (TransactionMetadata txn : stored.values()) {
            context.transactions().put(txn.transactionalId, txn);
            context.unstableOffsets().track(txn);
            context.writable().open(txn.producerId, txn.epoch,
                    txn.state == TransactionState.ONGOING ? Set.copyOf(txn.partitions) : Set.of());
            if (txn.state.preparing()) {
                unfinished++;
                MarkerType type = txn.state == TransactionState.PREPARE_COMMIT ? MarkerType.COMMIT : MarkerType.ABORT;
                // whether the decision had been forced is not stored: finish it as if it had (decision 0032)
                markers.writeMarkers(txn, type, txn.state, Durability.FSYNC);
            }
        }
        abortOrphans();
        LOG.info("Transaction coordinator loaded {} transactional id(s) from {}; {} with markers to finish",
                stored.size(), TransactionLog.TOPIC, unfinished);
    }

    /**
     * At start: a transaction open in a partition whose producer no stored transaction has open there
     * (its state was not stored before a crash) is aborted with the highest epoch, which frees the last
     * stable offset; such a producer then fails on its next call and starts over.
     */
    private void abortOrphans() {
        Map<Long, Set<TxnPartition>> known = new HashMap<>();
        for (TransactionMetadata txn : context.transactions().values()) {
            if (txn.state == TransactionState.ONGOING || txn.state.preparing()) {
                known.put(txn.producerId, txn.partitions);
            }
        }
        for (Topic topic : context.log().topics()) {
            for (int p = 0; p < topic.partitionCount(); p++) {
                PartitionLog partition = topic.partition(p);
                Map<Long, Long> open = context.ingest().transactions(partition).openTransactions();
                for (Long producerId : open.keySet()) {
                    if (known.getOrDefault(producerId, Set.of()).contains(new TxnPartition(partition.topic(),
                            partition.partition()))) {
                        continue;
                    }
                    LOG.warn("Aborting the transaction of producer {} left open in {}-{} at offset {} by the last run",
                            producerId, partition.topic(), partition.partition(), open.get(producerId));
                    markers.offerMarker(partition, producerId, Short.MAX_VALUE, MarkerType.ABORT, error -> {
                        if (error != AppendError.NONE) {
                            LOG.error("Cannot abort producer {}'s open transaction in {}-{}: {}", producerId,
                                    partition.topic(), partition.partition(), error);
                        }
                    });
                }
            }
        }
    }
}
