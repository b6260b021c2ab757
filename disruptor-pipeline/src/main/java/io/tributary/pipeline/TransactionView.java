package io.tributary.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What read_committed readers of one partition need to know of its transactions; safe from any
 * thread. Backed by the pipeline's sequence and commit stages (see {@link IngestPipeline#transactions}).
 */
public interface TransactionView {
    /**
     * The last stable offset: the first offset of the oldest transaction still open in the
     * partition, or the high watermark when none is open or it starts past it. read_committed
     * readers see records below it only.
     */
    long lastStableOffset();

    /**
     * The aborted transactions a read of {@code [from, upperBound)} meets: those whose abort marker
     * is at or after {@code from} and whose first record is below {@code upperBound}, in the order
     * of their first offsets.
     */
    List<AbortedTransaction> abortedTransactions(long from, long upperBound);

    /** Producer id to the first offset of its open transaction in this partition. */
    Map<Long, Long> openTransactions();
}
