package io.tributary.log.internal;

import io.tributary.log.LogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a partition directory at open. Leftovers are removed first ({@code *.deleted} files of
 * segments retention had retired, {@code *.tmp} files, index files without a log). Then each
 * segment is loaded oldest first ({@link SegmentLoader}); once one is cut, or does not start where
 * the previous one ended, it and every later segment are deleted, each with a WARN line.
 *
 * <p>Recovery after an unclean stop validates the last segment and every segment that ends after
 * the partition's recovery point ({@link RecoveryPointCheckpoint}); the segments before it were
 * forced to the device and are loaded as after a clean shutdown (indexes still checked).
 */
final class PartitionLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLoader.class);
    private static final Pattern SEGMENT_FILE = Pattern.compile("(\\d{20})(\\.log|\\.index|\\.timeindex)");

    private static final String DROP_MESSAGE = "Truncating {} at position 0, cutting {} bytes: deleting the segment"
            + " because {}";

    private final LogServices services;
    private final SegmentLoader segmentLoader;

    PartitionLoader(LogServices services) {
        this.services = services;
        this.segmentLoader = new SegmentLoader(services.files());
    }

    /**
     * @param recover       whether the log was not closed cleanly
     * @param recoveryPoint with {@code recover}: segments ending at or below it are trusted
     * @param logStart      the checkpointed log start offset ({@link LogStartOffsetCheckpoint}), or 0
     */
    DefaultPartitionLog load(String topic, int partition, Path dir, LogConfig config, boolean recover,
                             long recoveryPoint, long logStart) throws IOException {
        Files.createDirectories(dir);
        TreeSet<Long> bases = cleanAndListSegments(dir);
        long now = services.clock().millis();
        List<LogSegment> loaded = new ArrayList<>();
        boolean cut = false;
        try {
            for (long base : bases) {
                if (cut) {
                    dropSegment(dir, base, "an earlier segment was cut");
                    continue;
                }
                Long nextBase = bases.higher(base);
                boolean validate = recover && (nextBase == null || nextBase > recoveryPoint);
                SegmentLoader.Loaded result = segmentLoader.load(dir, base, validate, config.indexIntervalBytes(), now);
                LogSegment previous = loaded.isEmpty() ? null : loaded.get(loaded.size() - 1);
                if (previous != null && base != previous.nextOffset()) {
                    String reason = "it starts at " + base + " but the previous segment ends before "
                            + previous.nextOffset();
                    LOG.warn(DROP_MESSAGE, result.segment().logFile(), result.segment().channel().size(), reason);
                    result.segment().destroy();
                    cut = true;
                    continue;
                }
                loaded.add(result.segment());
                cut = result.cut();
            }
            if (loaded.isEmpty()) {
                loaded.add(LogSegment.create(dir, 0, services.files()));
            }
        } catch (IOException | RuntimeException e) {
            for (LogSegment segment : loaded) {
                segment.destroyChannelsQuietly(e);
            }
            throw e;
        }
        return new DefaultPartitionLog(topic, partition, dir, config, services, loaded, logStart);
    }

    /** Number of segments fully validated by this loader so far. */
    long segmentsRecovered() {
        return segmentLoader.segmentsRecovered();
    }

    private static TreeSet<Long> cleanAndListSegments(Path dir) throws IOException {
        TreeSet<Long> logs = new TreeSet<>();
        TreeSet<Long> indexed = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")) {
                    Files.delete(entry);
                    continue;
                }
                Matcher m = SEGMENT_FILE.matcher(name);
                if (m.matches()) {
                    long base = Long.parseLong(m.group(1));
                    (m.group(2).equals(LogSegment.LOG_SUFFIX) ? logs : indexed).add(base);
                }
            }
        }
        indexed.removeAll(logs);
        for (long orphan : indexed) {
            LOG.warn("Deleting index files of {} in {}: their log file is missing", orphan, dir);
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(orphan, OffsetIndex.SUFFIX)));
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(orphan, TimeIndex.SUFFIX)));
        }
        return logs;
    }

    private static void dropSegment(Path dir, long base, String reason) throws IOException {
        Path log = LogSegment.logPath(dir, base);
        long bytes = Files.exists(log) ? Files.size(log) : 0;
        LOG.warn(DROP_MESSAGE, log, bytes, reason);
        Files.deleteIfExists(log);
        Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, OffsetIndex.SUFFIX)));
        Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, TimeIndex.SUFFIX)));
    }
}
