package io.tributary.kafka.api;

import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AbortedTransaction;
import io.tributary.pipeline.TransactionView;

import java.util.List;
import java.util.Map;

/** A partition that never saw a transaction: its last stable offset is its high watermark. */
record NoTransactions(PartitionLog partition) implements TransactionView {
    @Override
    public long lastStableOffset() {
        return partition.highWatermark();
    }

    @Override
    public List<AbortedTransaction> abortedTransactions(long from, long upperBound) {
        return List.of();
    }

    @Override
    public Map<Long, Long> openTransactions() {
        return Map.of();
    }
}
