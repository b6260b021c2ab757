package io.tributary.pipeline;

import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;

import java.nio.ByteBuffer;

/**
 * The write path: one LMAX Disruptor ring with three stages, each a single thread.
 *
 * <pre>
 *  offer() ──&gt; [ sequence ] ──&gt; [ journal ] ──&gt; [ commit ]
 *   caller:     idempotence      append to the    publish high watermark,
 *   validate    checks, assign   active segment;  complete callbacks,
 *   + CRC       offsets, stamp   at endOfBatch    wake {@link CommitListener}s
 *               LogAppendTime    fsync the SYNC
 *                                partitions touched
 * </pre>
 *
 * <p>Group commit comes from the ring's batching: while the journal thread is in an fsync, new
 * appends queue behind it, and the next batch pays one fsync per file for all of them.
 */
public interface IngestPipeline extends AutoCloseable {

    /**
     * Starts the pipeline's threads over {@code log}, after rebuilding each partition's
     * idempotent-producer state: from the producer-state snapshot the last {@link #close()} wrote
     * in {@link PipelineConfig#stateDir()} plus the batches stored after it, when that snapshot
     * fits the log (see {@code docs/decisions/0009-producer-state-snapshots.md}); otherwise, with
     * one log line saying why, from every batch stored since the log start. Deletes snapshots of
     * partitions that no longer exist and logs one line: partitions loaded from snapshots, scanned,
     * and the time taken.
     */
    static IngestPipeline start(LogManager log, PipelineConfig config) {
        return io.tributary.pipeline.internal.DisruptorIngestPipeline.start(log, config);
    }

    /**
     * Offers batches (one or more complete v2 record batches, as a producer sent them) for append to
     * {@code partition}. Structure, CRC and size are validated on the calling thread first.
     *
     * <p>Returns {@link OfferResult#ACCEPTED} when the callback will be called exactly once: with an
     * error right away on this thread if validation failed, otherwise later on the commit thread.
     * Returns {@link OfferResult#BACK_PRESSURED} when the ring is full and nothing was done: the
     * caller retries later or fails the request. The pipeline takes ownership of {@code batches}
     * (it rewrites the offsets in place) until the callback runs.
     *
     * <p>The append completes as the partition's flush policy says ({@link Durability#FLUSH_POLICY}).
     */
    default OfferResult offer(PartitionLog partition, ByteBuffer batches, AppendCallback callback) {
        return offer(partition, batches, Durability.FLUSH_POLICY, callback);
    }

    /**
     * As {@link #offer(PartitionLog, ByteBuffer, AppendCallback)}; with {@link Durability#FSYNC} the append
     * completes only once the partition has been fsynced after it, whatever its flush policy (group-committed:
     * one fsync per partition per ring batch).
     */
    OfferResult offer(PartitionLog partition, ByteBuffer batches, Durability durability, AppendCallback callback);

    /**
     * Offers a transaction marker (a control batch ending {@code producerId}'s transaction in
     * {@code partition} with {@code type}) as one append, numbered in order with the producer's
     * batches. The callback fails with {@link AppendError#INVALID_PRODUCER_EPOCH} if a batch or
     * marker of a newer epoch of the producer came first. Once it is written, the transaction no
     * longer holds back the partition's {@linkplain TransactionView#lastStableOffset last stable
     * offset}, and an abort is listed in {@link TransactionView#abortedTransactions}. A marker of a
     * producer with no open transaction in the partition is written all the same. Later batches of
     * the producer with an older epoch than the marker's are refused (INVALID_PRODUCER_EPOCH).
     */
    default OfferResult offerMarker(PartitionLog partition, long producerId, short producerEpoch, MarkerType type,
                                    int coordinatorEpoch, AppendCallback callback) {
        return offerMarker(partition, producerId, producerEpoch, type, coordinatorEpoch, Durability.FLUSH_POLICY,
                callback);
    }

    /**
     * As {@link #offerMarker(PartitionLog, long, short, MarkerType, int, AppendCallback)}; with
     * {@link Durability#FSYNC} the marker completes only once it is fsynced, whatever the flush policy (the
     * coordinator of a transaction whose commit must survive a power loss asks for it).
     */
    OfferResult offerMarker(PartitionLog partition, long producerId, short producerEpoch, MarkerType type,
                            int coordinatorEpoch, Durability durability, AppendCallback callback);

    /** The transactions of {@code partition}, for read_committed readers; safe from any thread. */
    TransactionView transactions(PartitionLog partition);

    /** Registers a listener told of every high-watermark advance. Listeners run on the commit thread: keep them short. */
    void addCommitListener(CommitListener listener);

    /**
     * Tells the pipeline that {@code partition} was deleted (its topic was, with
     * {@link LogManager#deleteTopic}), so it drops what it keeps for it: idempotent-producer state.
     * Call it for each partition of the topic once {@code deleteTopic} returned true; offers to the
     * partition must have stopped by then, as {@code deleteTopic} requires (one that still comes
     * would load the state again). Safe from any thread; takes effect before the next append is
     * sequenced. The default does nothing, for implementations that keep no per-partition state.
     */
    default void partitionDeleted(PartitionLog partition) {
    }

    /** Allocates producer ids for InitProducerId; unique across restarts. */
    ProducerIdAllocator producerIds();

    /**
     * Stops accepting offers, lets every accepted append complete (or fail), stops the threads,
     * then writes each partition's producer-state snapshot for the next start. Close the
     * {@link LogManager} after this.
     */
    @Override
    void close();
}
