package io.tributary.pipeline;

import io.tributary.log.CleanerHints;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;

import java.util.Optional;

/**
 * {@link CleanerHints} backed by the pipeline's {@link TransactionView}s, as Kafka's cleaner uses
 * its transaction index: a batch of an aborted transaction is removed and never counts as its
 * key's latest value; nothing at or past a partition's last stable offset is cleaned (an open
 * transaction's outcome is not known yet); commit and abort markers are kept.
 *
 * <p>The log opens (and its cleaner starts) before the pipeline that knows the transactions: put
 * an unbound instance into the {@code LogManagerConfig}, then {@link #bind} it once the pipeline
 * runs. Until then no partition is cleaned at all ({@link #stableOffset} is 0), so that nothing is
 * compacted on a guess.
 */
public final class TransactionCleanerHints implements CleanerHints {
    private record Bound(LogManager log, IngestPipeline pipeline) {
    }

    private volatile Bound bound;

    /** Backs the hints with {@code pipeline}'s transactions of {@code log}'s partitions. */
    public void bind(LogManager log, IngestPipeline pipeline) {
        bound = new Bound(log, pipeline);
    }

    private Optional<TransactionView> view(String topic, int partition) {
        Bound b = bound;
        if (b == null) {
            return Optional.empty();
        }
        Optional<Topic> t = b.log().topic(topic);
        if (t.isEmpty() || partition >= t.get().partitionCount()) {
            return Optional.empty();
        }
        PartitionLog log = t.get().partition(partition);
        return Optional.of(b.pipeline().transactions(log));
    }

    @Override
    public boolean isAborted(String topic, int partition, long producerId, long batchBaseOffset) {
        Optional<TransactionView> view = view(topic, partition);
        if (view.isEmpty()) {
            return false;
        }
        for (AbortedTransaction aborted : view.get().abortedTransactions(batchBaseOffset, batchBaseOffset + 1)) {
            if (aborted.producerId() == producerId && aborted.firstOffset() <= batchBaseOffset
                    && batchBaseOffset < aborted.lastOffset()) {
                return true;
            }
        }
        return false;
    }

    /** Markers are kept: a reader that starts below an abort marker needs it to skip the aborted data. */
    @Override
    public boolean canRemoveMarker(String topic, int partition, long markerOffset) {
        return false;
    }

    @Override
    public long stableOffset(String topic, int partition) {
        if (bound == null) {
            return 0;
        }
        return view(topic, partition).map(TransactionView::lastStableOffset).orElse(0L);
    }
}
