/**
 * The Disruptor-based implementation of {@link io.tributary.pipeline.IngestPipeline}.
 *
 * <p>One ring of {@link io.tributary.pipeline.internal.IngestEvent} slots and three single-threaded
 * stages: {@link io.tributary.pipeline.internal.SequenceHandler} (idempotence, offsets, LogAppendTime),
 * {@link io.tributary.pipeline.internal.JournalHandler} (append, group-commit fsync) and
 * {@link io.tributary.pipeline.internal.CommitHandler} (high watermark, callbacks, listeners). Each
 * stage owns its mutable state; the only hand-back from the journal to the sequence stage is its
 * resync request after a failed write. Producer state is loaded at start by
 * {@link io.tributary.pipeline.internal.ProducerStateLoader}, from a
 * {@link io.tributary.pipeline.internal.ProducerStateSnapshot} in the state directory
 * ({@link io.tributary.pipeline.internal.ProducerSnapshotFiles}) when one fits the log, and
 * written back by the sequence stage when the ring stops. Whether a partition's storage can still be trusted is the
 * log's to say ({@link io.tributary.log.PartitionLog#offlineReason()}); both stages read it. Depends on
 * {@code core-log}'s public API, the LMAX Disruptor and slf4j.
 */
package io.tributary.pipeline.internal;
