package io.tributary.log.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

/**
 * Opens an existing segment at start-up, in one of two modes.
 *
 * <ul>
 *   <li><b>trusted</b> (after a clean shutdown): the {@code .log} file is believed. The indexes are
 *       checked (size, order, pointing inside the file) and only the tail after the last offset
 *       index entry is walked to find the next offset. An index that looks wrong sends the segment
 *       through the recovery path instead.</li>
 *   <li><b>recovery</b> (after an unclean stop, or a suspicious index): every batch is validated,
 *       CRC included ({@link SegmentScanner}); the file is cut at the first invalid byte, and both
 *       indexes are rebuilt from scratch.</li>
 * </ul>
 *
 * Each cut is logged once at WARN with the file, position, bytes cut and reason.
 */
final class SegmentLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLoader.class);

    private final ChannelFactory files;
    private final SegmentScanner scanner = new SegmentScanner();
    private long segmentsRecovered;

    SegmentLoader(ChannelFactory files) {
        this.files = files;
    }

    /** Loads the segment with {@code baseOffset} in {@code dir}; returns whether its log was cut. */
    Loaded load(Path dir, long baseOffset, boolean recover, int indexIntervalBytes, long nowMs) throws IOException {
        Path offsetIndexFile = dir.resolve(LogSegment.fileName(baseOffset, OffsetIndex.SUFFIX));
        Path timeIndexFile = dir.resolve(LogSegment.fileName(baseOffset, TimeIndex.SUFFIX));
        String missing = !Files.exists(offsetIndexFile) ? offsetIndexFile.getFileName() + " is missing"
                : !Files.exists(timeIndexFile) ? timeIndexFile.getFileName() + " is missing" : null;
        LogSegment segment = openFiles(dir, baseOffset, offsetIndexFile, timeIndexFile);
        try {
            boolean cut;
            if (recover) {
                cut = recover(segment, indexIntervalBytes, nowMs);
            } else if (missing != null) {
                LOG.warn("Rebuilding the indexes of {}: {}", segment.logFile(), missing);
                cut = recover(segment, indexIntervalBytes, nowMs);
            } else {
                cut = loadTrusted(segment, indexIntervalBytes, nowMs);
            }
            return new Loaded(segment, cut);
        } catch (IOException | RuntimeException e) {
            segment.destroyChannelsQuietly(e);
            throw e;
        }
    }

    /** Opens the log file and both indexes; if one fails to open, those already open are closed. */
    private LogSegment openFiles(Path dir, long baseOffset, Path offsetIndexFile, Path timeIndexFile)
            throws IOException {
        FileChannel log = files.open(LogSegment.logPath(dir, baseOffset));
        OffsetIndex offsetIndex = null;
        try {
            offsetIndex = OffsetIndex.open(offsetIndexFile, baseOffset, files);
            return new LogSegment(dir, baseOffset, log, offsetIndex, TimeIndex.open(timeIndexFile, baseOffset, files));
        } catch (IOException | RuntimeException e) {
            FileIo.closeAfter(offsetIndex, e);
            FileIo.closeAfter(log, e);
            throw e;
        }
    }

    /** A loaded segment and whether recovery cut bytes off its end. */
    record Loaded(LogSegment segment, boolean cut) {
    }

    private boolean loadTrusted(LogSegment segment, int indexIntervalBytes, long nowMs) throws IOException {
        long logSize = segment.channel().size();
        OffsetIndex offsetIndex = segment.offsetIndex();
        TimeIndex timeIndex = segment.timeIndex();
        String problem = offsetIndex.loadProblem(logSize);
        if (problem == null) {
            problem = timeIndex.loadProblem(Long.MAX_VALUE);
        }
        if (problem == null) {
            segment.resetScanState(timeIndex.lastTimestamp(), timeIndex.lastOffset());
            SegmentScanner.Result tail = scanner.scan(segment, offsetIndex.lastPosition(), offsetIndex.lastOffset(),
                    false, indexIntervalBytes);
            problem = tail.problem() != null ? "walking the tail after the last index entry: " + tail.problem()
                    : timeIndex.loadProblem(tail.nextOffset());
            if (problem == null) {
                segment.loaded(tail.validSize(), tail.nextOffset(), nowMs);
                return false;
            }
        }
        LOG.warn("Rebuilding the indexes of {}: {}", segment.logFile(), problem);
        return recover(segment, indexIntervalBytes, nowMs);
    }

    private boolean recover(LogSegment segment, int indexIntervalBytes, long nowMs) throws IOException {
        segmentsRecovered++;
        // Validation reads the whole file (about a second per GiB from disk): say so before, so a long start
        // shows what it is doing.
        long started = System.nanoTime();
        LOG.info("Validating every batch of {} ({} bytes)", segment.logFile(), segment.channel().size());
        segment.offsetIndex().truncateToEntries(0);
        segment.timeIndex().truncateToEntries(0);
        segment.resetScanState(-1, segment.baseOffset());
        SegmentScanner.Result result = scanner.scan(segment, 0, segment.baseOffset(), true, indexIntervalBytes);
        if (result.truncated()) {
            LOG.warn("Truncating {} at position {}, cutting {} bytes: {}", segment.logFile(), result.validSize(),
                    result.fileSize() - result.validSize(), result.problem());
        }
        segment.loaded(result.validSize(), result.nextOffset(), nowMs);
        LOG.info("Validated {} in {} ms: {}", segment.logFile(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                result.nextOffset() > segment.baseOffset()
                        ? "offsets " + segment.baseOffset() + " to " + (result.nextOffset() - 1) : "no batches");
        // What survived a process crash may still be only in the page cache: force it, so the
        // recovery point (the log end once loaded) is true.
        segment.force();
        return result.truncated();
    }

    /** Number of segments fully validated and re-indexed by this loader. */
    long segmentsRecovered() {
        return segmentsRecovered;
    }
}
