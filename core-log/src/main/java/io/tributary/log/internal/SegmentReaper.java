package io.tributary.log.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes segments removed by retention after {@code file.delete.delay.ms}: their files are renamed
 * to {@code *.deleted} at once (so a restart never loads them) and closed and deleted after the
 * delay, so a reader that already holds a slice of one can finish sending it.
 */
final class SegmentReaper {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentReaper.class);

    private final ScheduledExecutorService scheduler;
    private final long delayMs;
    private final Set<LogSegment> pending = ConcurrentHashMap.newKeySet();

    SegmentReaper(ScheduledExecutorService scheduler, long delayMs) {
        this.scheduler = scheduler;
        this.delayMs = delayMs;
    }

    /** Renames the segment's files now and schedules their deletion. */
    void retire(LogSegment segment) throws IOException {
        segment.retire();
        pending.add(segment);
        scheduler.schedule(() -> destroy(segment), delayMs, TimeUnit.MILLISECONDS);
    }

    /** As {@link #retire(LogSegment)}, the files renamed with {@code tail} ({@link LogSegment#retire(String)}). */
    void retire(LogSegment segment, String tail) throws IOException {
        segment.retire(tail);
        pending.add(segment);
        scheduler.schedule(() -> destroy(segment), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Runs on the scheduler thread, or at shutdown after it stopped: never twice at once. */
    private void destroy(LogSegment segment) {
        if (!pending.contains(segment)) {
            return;
        }
        try {
            segment.destroy();
            LOG.info("Deleted retired segment {}", segment.logFile());
        } catch (IOException e) {
            LOG.error("Could not delete retired segment {}", segment.logFile(), e);
        } finally {
            pending.remove(segment);
        }
    }

    /** Deletes every segment still waiting, now; called at shutdown once no reader is left. */
    void destroyAll() {
        for (LogSegment segment : pending) {
            destroy(segment);
        }
    }

    int pendingCount() {
        return pending.size();
    }
}
