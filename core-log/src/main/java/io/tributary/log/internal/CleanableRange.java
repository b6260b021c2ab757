package io.tributary.log.internal;

import io.tributary.log.CleanerHints;
import io.tributary.log.LogConfig;
import io.tributary.log.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The part of a compacted partition the cleaner may work on now, and how dirty it is.
 *
 * <pre>
 *  segments:  | clean ............ | dirty ............. | uncleanable ...... | active |
 *             ^ first segment      ^ firstDirty          ^ firstUncleanable
 * </pre>
 *
 * {@code firstDirty} is where the previous clean stopped. {@code firstUncleanable} is the base of
 * the first segment that is the active one, not wholly below the high watermark and the
 * {@linkplain CleanerHints#stableOffset last stable offset}, or holding a record younger than
 * {@code min.compaction.lag.ms}: none of those is touched.
 *
 * @param segments         the segments wholly below {@code firstUncleanable}, oldest first
 * @param cleanBytes       bytes of those segments wholly below {@code firstDirty}
 * @param dirtyBytes       bytes of the others
 * @param maxLagExceeded   the first dirty batch is older than {@code max.compaction.lag.ms}
 */
record CleanableRange(List<LogSegment> segments, long firstDirty, long firstUncleanable, long cleanBytes,
                      long dirtyBytes, boolean maxLagExceeded) {

    static CleanableRange of(DefaultPartitionLog log, long nowMs) throws IOException {
        return of(log, nowMs, CleanerHints.NONE);
    }

    static CleanableRange of(DefaultPartitionLog log, long nowMs, CleanerHints hints) throws IOException {
        LogConfig config = log.config();
        List<LogSegment> all = log.segments();
        long firstDirty = Math.max(log.firstDirtyOffset(), all.get(0).baseOffset());
        long highWatermark = Math.min(log.highWatermark(), hints.stableOffset(log.topic(), log.partition()));
        int cleanable = 0;
        while (cleanable < all.size() - 1) {
            LogSegment segment = all.get(cleanable);
            boolean tooYoung = config.minCompactionLagMs() > 0
                    && segment.maxTimestamp() > nowMs - config.minCompactionLagMs();
            if (segment.nextOffset() > highWatermark || tooYoung) {
                break;
            }
            cleanable++;
        }
        List<LogSegment> segments = all.subList(0, cleanable);
        long firstUncleanable = all.get(cleanable).baseOffset();
        long clean = 0;
        long dirty = 0;
        LogSegment firstDirtySegment = null;
        for (LogSegment segment : segments) {
            if (segment.nextOffset() <= firstDirty) {
                clean += segment.size();
            } else {
                dirty += segment.size();
                if (firstDirtySegment == null) {
                    firstDirtySegment = segment;
                }
            }
        }
        boolean maxLag = false;
        if (firstDirtySegment != null && config.maxCompactionLagMs() != Long.MAX_VALUE && firstDirtySegment.size() > 0) {
            ByteBuffer header = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE);
            firstDirtySegment.readHeader(0, header);
            maxLag = header.getLong(RecordBatchHeader.MAX_TIMESTAMP_OFFSET) <= nowMs - config.maxCompactionLagMs();
        }
        return new CleanableRange(segments, firstDirty, firstUncleanable, clean, dirty, maxLag);
    }

    /** Dirty bytes over all cleanable bytes; 0 when there is nothing cleanable. */
    double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    /** Whether the cleaner should take the partition now. */
    boolean due(LogConfig config) {
        return dirtyBytes > 0 && (maxLagExceeded || dirtyRatio() > config.minCleanableDirtyRatio());
    }
}
