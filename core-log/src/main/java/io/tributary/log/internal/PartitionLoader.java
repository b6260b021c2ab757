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
 * segments retention or the cleaner had retired, {@code *.tmp} files, the cleaner's unfinished
 * {@code *.cleaned} files, index files without a log), and swaps the cleaner had committed are
 * completed ({@link #completeSwaps}). Then each
 * segment is loaded oldest first ({@link SegmentLoader}); once one is cut, or does not start where
 * the previous one ended, it and every later segment are deleted, each with a WARN line.
 *
 * <p>Recovery after an unclean stop validates the last segment and every segment that ends after
 * the partition's recovery point ({@link RecoveryPointCheckpoint}); the segments before it were
 * forced to the device and are loaded as after a clean shutdown (indexes still checked). Such a
 * trusted segment with a successor is never cut: damage found in it is marked and reported at ERROR
 * instead ({@link SegmentLoader}), so the segments after it stay.
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
                // a trusted segment with a successor is closed: damage in it is marked, never cut (decision 0018)
                SegmentLoader.Loaded result = segmentLoader.load(dir, base, validate, config.indexIntervalBytes(), now,
                        nextBase == null ? Long.MAX_VALUE : nextBase);
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
        TreeSet<Long> swaps = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")
                        || name.endsWith(LogSegment.CLEANED_SUFFIX)) {
                    Files.delete(entry);
                    continue;
                }
                if (name.endsWith(LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX)) {
                    swaps.add(Long.parseLong(name.substring(0, 20)));
                    continue;
                }
                Matcher m = SEGMENT_FILE.matcher(name);
                if (m.matches()) {
                    long base = Long.parseLong(m.group(1));
                    (m.group(2).equals(LogSegment.LOG_SUFFIX) ? logs : indexed).add(base);
                }
            }
        }
        completeSwaps(dir, swaps, logs);
        deleteOrphanIndexSwaps(dir, swaps);
        indexed.removeAll(logs);
        for (long orphan : indexed) {
            LOG.warn("Deleting index files of {} in {}: their log file is missing", orphan, dir);
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(orphan, OffsetIndex.SUFFIX)));
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(orphan, TimeIndex.SUFFIX)));
        }
        return logs;
    }

    /**
     * Completes each swap the cleaner committed ({@code <base>.log.swap} present; see
     * {@link DefaultPartitionLog#replaceSegments}): the swap segment ends where the group it replaces
     * ended (the cleaner keeps the group's last batch, empty if need be), so every segment with a
     * base in [base, end of the swap) is one it replaces and is deleted; then the swap files take
     * the real names. Index files not yet renamed are left to the loader to rebuild.
     */
    private static void completeSwaps(Path dir, TreeSet<Long> swaps, TreeSet<Long> logs) throws IOException {
        for (long base : swaps) {
            Path swapLog = dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX) + LogSegment.SWAP_SUFFIX);
            long end = endOffset(swapLog, base);
            for (long replaced : List.copyOf(logs.subSet(base, end))) {
                LOG.info("Completing the swap of cleaned segment {}: deleting the segment at {} it replaces",
                        swapLog, replaced);
                Files.deleteIfExists(LogSegment.logPath(dir, replaced));
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(replaced, OffsetIndex.SUFFIX)));
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(replaced, TimeIndex.SUFFIX)));
                logs.remove(replaced);
            }
            for (String suffix : new String[] {OffsetIndex.SUFFIX, TimeIndex.SUFFIX, LogSegment.LOG_SUFFIX}) {
                Path swap = dir.resolve(LogSegment.fileName(base, suffix) + LogSegment.SWAP_SUFFIX);
                if (Files.exists(swap)) {
                    Files.move(swap, dir.resolve(LogSegment.fileName(base, suffix)),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            logs.add(base);
        }
        if (!swaps.isEmpty()) {
            FileIo.fsyncDirectory(dir);
        }
    }

    /** Deletes index {@code .swap} files whose log never became a swap (the clean was not committed). */
    private static void deleteOrphanIndexSwaps(Path dir, TreeSet<Long> swaps) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + LogSegment.SWAP_SUFFIX)) {
            for (Path entry : entries) {
                LOG.info("Deleting {}: the clean it belongs to was not committed", entry);
                Files.delete(entry);
            }
        }
    }

    /** The offset after the last batch of a log file (walking the batch headers), or {@code base} if empty. */
    private static long endOffset(Path log, long base) throws IOException {
        long end = base;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(log)) {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(LogSegment.WALK_HEADER_SIZE);
            long size = channel.size();
            for (long pos = 0; pos + LogSegment.WALK_HEADER_SIZE <= size; ) {
                header.clear();
                FileIo.readFully(channel, header, pos);
                int length = header.getInt(io.tributary.log.RecordBatchHeader.LENGTH_OFFSET);
                if (length <= 0 || pos + length + io.tributary.log.RecordBatchHeader.LOG_OVERHEAD > size) {
                    break;
                }
                end = header.getLong(0) + header.getInt(io.tributary.log.RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET) + 1;
                pos += length + io.tributary.log.RecordBatchHeader.LOG_OVERHEAD;
            }
        }
        return end;
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
