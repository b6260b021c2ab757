/**
 * The Disruptor-based implementation of {@link io.tributary.pipeline.IngestPipeline}.
 *
 * <p>One ring of {@link io.tributary.pipeline.internal.IngestEvent} slots and three single-threaded
 * stages: {@link io.tributary.pipeline.internal.SequenceHandler} (idempotence, offsets, LogAppendTime),
 * {@link io.tributary.pipeline.internal.JournalHandler} (append, group-commit fsync) and
 * {@link io.tributary.pipeline.internal.CommitHandler} (high watermark, callbacks, listeners). Each
 * stage owns its mutable state; the only hand-back is the journal's resync request to the sequence
 * stage after a failed write. Depends on {@code core-log}'s public API, the LMAX Disruptor and slf4j.
 */
package io.tributary.pipeline.internal;
