package io.tributary.transactions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One transactional id's state; touched by the coordinator thread only. */
final class TransactionMetadata {
    final String transactionalId;
    long producerId;
    short epoch;
    int timeoutMs;
    TransactionState state = TransactionState.EMPTY;
    long startTimeMs = -1L;
    long lastUpdateMs;
    final Set<TxnPartition> partitions = new LinkedHashSet<>();
    final Map<String, List<PendingOffset>> pendingOffsets = new HashMap<>();
    /** How the client runs the current (or last) transaction; set when it starts and by EndTxn. */
    TransactionVersion version = TransactionVersion.V1;
    /** The producer id before the last rotation (epoch exhausted under V2), else -1: a retried EndTxn names it. */
    long previousProducerId = -1L;
    /**
     * The epoch before the last bump that a retried InitProducerId may name (Kafka's lastProducerEpoch), else -1.
     * Kept in memory only, as Kafka does not store it either: after a restart such a retry is fenced.
     */
    short lastProducerEpoch = -1;
    /** While a V2 transaction whose epoch is exhausted is being ended: the id it continues with, else -1. */
    long nextProducerId = -1L;
    /** While a transaction is being ended (markers written): completes once it has; null otherwise. */
    CompletableFuture<Void> ending;
    /**
     * Whether an add (AddPartitionsToTxn, add-ahead, AddOffsetsToTxn) changed this state and failed to store it:
     * its retry, finding the change already made, stores the state again rather than answering NONE at once.
     * The change is kept rather than rolled back because batches may already be in the ring behind it (add-ahead,
     * decision 0038): keeping the partitions keeps them under the transaction's markers (decision 0043).
     */
    boolean unstored;

    TransactionMetadata(String transactionalId, long producerId, short epoch, int timeoutMs, long nowMs) {
        this.transactionalId = transactionalId;
        this.producerId = producerId;
        this.epoch = epoch;
        this.timeoutMs = timeoutMs;
        this.lastUpdateMs = nowMs;
    }

    /** Starts a transaction run as {@code version} if none is open. */
    void begin(long nowMs, TransactionVersion version) {
        if (state.idle()) {
            this.version = version;
            state = TransactionState.ONGOING;
            startTimeMs = nowMs;
            partitions.clear();
            pendingOffsets.clear();
        }
        lastUpdateMs = nowMs;
    }

    void addOffsets(String groupId, List<PendingOffset> offsets) {
        pendingOffsets.computeIfAbsent(groupId, g -> new ArrayList<>()).addAll(offsets);
    }

    TransactionDescription describe() {
        return new TransactionDescription(transactionalId, producerId, epoch, state, timeoutMs, startTimeMs,
                Set.copyOf(partitions));
    }
}
