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
 *   <li><b>trusted</b> (after a clean shutdown, or wholly before the recovery point): the {@code .log}
 *       file is believed. The indexes are checked (size, order, pointing inside the file) and only the
 *       tail after the last offset index entry is walked to find the next offset. An index that looks
 *       wrong, or a tail that does not walk, has the indexes rebuilt.</li>
 *   <li><b>recovery</b> (after an unclean stop): every batch is validated, CRC included
 *       ({@link SegmentScanner}); the file is cut at the first invalid byte, and both indexes are
 *       rebuilt from scratch.</li>
 * </ul>
 *
 * <p>A trusted segment that is not the last one of its partition is <b>closed</b>: it was forced to
 * the device whole, and it ends where the next segment starts. Its bytes are acknowledged data, so
 * nothing is cut from it (decision 0018): a batch header that does not check out (or an end short of
 * the next segment's base offset) becomes a damaged range from there to the segment end, reported by
 * one ERROR line ({@link LogSegment#markDamaged}) and answered with an error by reads, and the indexes
 * are rebuilt up to it. The last segment after a clean shutdown is rebuilt as in recovery.
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
        return load(dir, baseOffset, recover, indexIntervalBytes, nowMs, Long.MAX_VALUE);
    }

    /**
     * As {@link #load(Path, long, boolean, int, long)}; a trusted segment with {@code nextBase} (the next
     * segment's base offset) below {@link Long#MAX_VALUE} is closed: it is never cut, its damage is marked.
     */
    Loaded load(Path dir, long baseOffset, boolean recover, int indexIntervalBytes, long nowMs, long nextBase)
            throws IOException {
        boolean closed = !recover && nextBase != Long.MAX_VALUE;
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
                cut = closed ? reindexClosed(segment, indexIntervalBytes, nowMs, nextBase)
                        : recover(segment, indexIntervalBytes, nowMs);
            } else {
                cut = loadTrusted(segment, indexIntervalBytes, nowMs, closed ? nextBase : Long.MAX_VALUE);
            }
            // the entries are in memory or, for an inactive segment, read from the file by the lookups that need them
            segment.releaseIndexFiles();
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

    private boolean loadTrusted(LogSegment segment, int indexIntervalBytes, long nowMs, long nextBase)
            throws IOException {
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
                    false, indexIntervalBytes, nextBase);
            problem = tail.problem() != null ? "walking the tail after the last index entry: " + tail.problem()
                    : timeIndex.loadProblem(tail.nextOffset());
            if (problem == null && nextBase != Long.MAX_VALUE && tail.nextOffset() != nextBase) {
                problem = "it ends before offset " + tail.nextOffset() + ", the next segment starts at " + nextBase;
            }
            if (problem == null) {
                segment.loaded(tail.validSize(), tail.nextOffset(), nowMs);
                return false;
            }
        }
        LOG.warn("Rebuilding the indexes of {}: {}", segment.logFile(), problem);
        return nextBase != Long.MAX_VALUE ? reindexClosed(segment, indexIntervalBytes, nowMs, nextBase)
                : recover(segment, indexIntervalBytes, nowMs);
    }

    /**
     * Rebuilds the indexes of a closed segment from its batch headers, cutting nothing: from the first
     * header that does not check out (from the batch before it when its base offset goes back: that
     * one's may be the hit), or from the end when the last batch ends short of {@code nextBase}, the
     * rest of the segment is marked damaged. The CRCs are the scrubber's to check.
     */
    private boolean reindexClosed(LogSegment segment, int indexIntervalBytes, long nowMs, long nextBase)
            throws IOException {
        segmentsRecovered++;
        segment.offsetIndex().truncateToEntries(0);
        segment.timeIndex().truncateToEntries(0);
        segment.resetScanState(-1, segment.baseOffset());
        SegmentScanner.Result result = scanner.scan(segment, 0, segment.baseOffset(), false, indexIntervalBytes,
                nextBase);
        segment.loaded((int) result.fileSize(), nextBase, nowMs);
        segment.onBecomeInactive();
        segment.force();
        SegmentDamage damage = null;
        if (result.truncated()) {
            boolean fromPrevious = result.backwards() && result.previousPosition() >= 0;
            damage = new SegmentDamage(fromPrevious ? result.previousPosition() : result.validSize(), result.fileSize(),
                    fromPrevious ? result.previousOffset() : result.nextOffset(), nextBase - 1,
                    "found at open, header: " + result.problem());
        } else if (result.nextOffset() < nextBase) {
            damage = new SegmentDamage(result.fileSize(), result.fileSize(), result.nextOffset(), nextBase - 1,
                    "found at open: the segment ends before offset " + result.nextOffset()
                            + " but the next one starts at " + nextBase + " (bytes missing at its end)");
        }
        if (damage != null) {
            segment.markDamaged(damage);
        }
        return false;
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
