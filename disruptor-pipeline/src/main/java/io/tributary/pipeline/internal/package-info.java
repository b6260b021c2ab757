/**
 * The Disruptor-based implementation of {@link io.tributary.pipeline.IngestPipeline}.
 *
 * <p>One ring of {@link io.tributary.pipeline.internal.IngestEvent} slots and three single-threaded
 * stages: {@link io.tributary.pipeline.internal.SequenceHandler} (idempotence, offsets, LogAppendTime),
 * {@link io.tributary.pipeline.internal.JournalHandler} (append, group-commit fsync) and
 * {@link io.tributary.pipeline.internal.CommitHandler} (high watermark, callbacks, listeners). Each
 * stage owns its mutable state; the only hand-backs from the journal to the sequence stage are its
 * resync request after a failed write and the {@link io.tributary.pipeline.internal.PartitionFence}
 * it closes when a partition's storage can no longer be trusted. Depends on {@code core-log}'s public API, the LMAX Disruptor and slf4j.
 */
package io.tributary.pipeline.internal;
