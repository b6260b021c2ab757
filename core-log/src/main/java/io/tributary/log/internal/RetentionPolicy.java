package io.tributary.log.internal;

import io.tributary.log.LogConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Decides which of a partition's oldest segments retention deletes, as Kafka does:
 * <ul>
 *   <li>by time ({@code retention.ms} &ge; 0): the leading segments whose largest record timestamp
 *       (or, if none has a timestamp, the file's modification time) is more than
 *       {@code retention.ms} before now;</li>
 *   <li>by size ({@code retention.bytes} &ge; 0): the leading segments that can go while the
 *       partition stays at or above {@code retention.bytes}, never the active one.</li>
 * </ul>
 * The answer is the longer of the two prefixes. It may end with the active (last) segment when all
 * its data expired by time; the caller rolls it rather than deleting it.
 */
final class RetentionPolicy {
    private RetentionPolicy() {
    }

    /** The oldest segments to delete, in order; {@code segments} is oldest first, the active one last. */
    static List<LogSegment> expiredSegments(List<LogSegment> segments, LogConfig config, long nowMs)
            throws IOException {
        int byTime = 0;
        if (config.retentionMs() >= 0) {
            while (byTime < segments.size() && expiredByTime(segments.get(byTime), config.retentionMs(), nowMs)) {
                byTime++;
            }
        }
        int bySize = 0;
        if (config.retentionBytes() >= 0) {
            long excess = -config.retentionBytes();
            for (LogSegment segment : segments) {
                excess += segment.size();
            }
            while (bySize < segments.size() - 1 && excess - segments.get(bySize).size() >= 0) {
                excess -= segments.get(bySize).size();
                bySize++;
            }
        }
        return segments.subList(0, Math.max(byTime, bySize));
    }

    private static boolean expiredByTime(LogSegment segment, long retentionMs, long nowMs) throws IOException {
        if (segment.size() == 0) {
            return false;
        }
        long newest = segment.maxTimestamp();
        if (newest < 0) {
            newest = Files.getLastModifiedTime(segment.logFile()).toMillis();
        }
        return nowMs - newest > retentionMs;
    }
}
