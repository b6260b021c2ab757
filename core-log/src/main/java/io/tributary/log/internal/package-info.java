/**
 * Implementation of the {@code io.tributary.log} API: the log manager, partitions, segments and their
 * sparse indexes, recovery, retention and the log cleaner (compaction: {@link io.tributary.log.internal.LogCleaner},
 * {@link io.tributary.log.internal.PartitionCleaner}).
 *
 * <p>Depends on the JDK, slf4j and the public {@code io.tributary.log} package only. Nothing outside
 * this module may import it; {@link io.tributary.log.LogManager#open} is the way in.
 *
 * <p>Threading: each partition has a single writer (append, roll, flush by the pipeline) and any
 * number of readers. Readers only go up to the high watermark and the published size of a segment,
 * both volatile and written after the bytes they cover. One scheduler thread per log manager runs
 * the periodic flusher, retention and delayed deletion of retired segment files;
 * {@code log.cleaner.threads} cleaner threads rewrite closed segments of compacted topics and swap
 * them in under a lock retention also takes, never the writer.
 *
 * <p>Failures: a write that fails is cut back and the partition goes on; a failed flush, or a
 * failed cut-back, takes the partition offline for good ({@link io.tributary.log.internal.OfflineState}).
 */
package io.tributary.log.internal;
