package io.tributary.perf.latency;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Turns a {@link LatencyRecorder} into a sequence of interval histograms: each
 * {@link #sample(long)} takes what was recorded since the previous one, appends it to the
 * HdrHistogram log ({@code .hlog}, via {@link HistogramLogWriter}) and adds it to the run totals.
 *
 * <p>In the log, the corrected histogram of each interval is untagged and the uncorrected one is
 * tagged {@value #UNCORRECTED_TAG}; the "max" column is in milliseconds. Called by one thread
 * (the sampler); the recorder may be written concurrently.
 */
public final class IntervalLog implements Closeable {

    /** Tag of the uncorrected (measured from the actual send) interval histograms in the log. */
    public static final String UNCORRECTED_TAG = "uncorrected";

    private static final double NANOS_PER_MILLI = 1e6;

    private final LatencyRecorder recorder;
    private final PrintStream logStream;
    private final HistogramLogWriter writer;
    private final long originNs;
    private final long originEpochMs;
    private final Histogram totalCorrected = new Histogram(3);
    private final Histogram totalUncorrected = new Histogram(3);
    private Histogram lastCorrected;
    private Histogram lastUncorrected;
    private long lastSampleNs;

    /**
     * Samples {@code recorder}, writing the log to {@code logOut} (null for no log). Interval
     * time stamps are {@code originEpochMs} plus the nanoseconds elapsed since {@code originNs}.
     */
    public IntervalLog(LatencyRecorder recorder, OutputStream logOut, long originNs, long originEpochMs) {
        this.recorder = recorder;
        this.originNs = originNs;
        this.originEpochMs = originEpochMs;
        this.lastSampleNs = originNs;
        if (logOut == null) {
            this.logStream = null;
            this.writer = null;
        } else {
            this.logStream = new PrintStream(logOut, false, StandardCharsets.UTF_8);
            this.writer = new HistogramLogWriter(logStream);
            writer.outputComment("Tributary perf: latency in nanoseconds; untagged = corrected for "
                    + "coordinated omission (from the due send time), tag " + UNCORRECTED_TAG
                    + " = from the actual send");
            writer.outputLogFormatVersion();
            writer.outputStartTime(originEpochMs);
            writer.setBaseTime(originEpochMs);
            writer.outputBaseTime(originEpochMs);
            writer.outputLegend();
        }
    }

    /**
     * Closes the interval that ends at {@code nowNs}: writes it to the log, adds it to the totals
     * and returns its corrected histogram (valid until the next call).
     */
    public Histogram sample(long nowNs) {
        LatencyRecorder.Interval interval = recorder.takeInterval(lastCorrected, lastUncorrected);
        lastCorrected = interval.corrected();
        lastUncorrected = interval.uncorrected();
        long startMs = toEpochMs(lastSampleNs);
        long endMs = toEpochMs(nowNs);
        stamp(lastCorrected, startMs, endMs, null);
        stamp(lastUncorrected, startMs, endMs, UNCORRECTED_TAG);
        if (writer != null) {
            writer.outputIntervalHistogram(lastCorrected);
            writer.outputIntervalHistogram(lastUncorrected);
            logStream.flush();
        }
        totalCorrected.add(lastCorrected);
        totalUncorrected.add(lastUncorrected);
        lastSampleNs = nowNs;
        return lastCorrected;
    }

    /** All corrected samples taken so far (nanoseconds). */
    public Histogram totalCorrected() {
        return totalCorrected;
    }

    /** All uncorrected samples taken so far (nanoseconds). */
    public Histogram totalUncorrected() {
        return totalUncorrected;
    }

    /** Converts a value in nanoseconds to milliseconds, the unit of every text output. */
    public static double millis(long nanos) {
        return nanos / NANOS_PER_MILLI;
    }

    private long toEpochMs(long nanoTime) {
        return originEpochMs + Math.floorDiv(nanoTime - originNs, 1_000_000L);
    }

    private static void stamp(Histogram h, long startMs, long endMs, String tag) {
        h.setStartTimeStamp(startMs);
        h.setEndTimeStamp(endMs);
        h.setTag(tag);
    }

    /** Flushes and closes the log, if any. */
    @Override
    public void close() throws IOException {
        if (logStream != null) {
            logStream.close();
            if (logStream.checkError()) {
                throw new IOException("could not write the histogram log");
            }
        }
    }
}
