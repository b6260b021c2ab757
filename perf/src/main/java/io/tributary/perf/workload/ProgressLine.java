package io.tributary.perf.workload;

import io.tributary.perf.latency.IntervalLog;
import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The line printed to stderr every few seconds of a long run:
 * {@code [  10.0 s] sent 500000  done 499000  49800 rec/s  p99 3.21 ms  errors 0}. The rate and
 * p99 cover the time since the previous line.
 */
public final class ProgressLine {

    private final PrintStream err;
    private final Histogram period = new Histogram(3);
    private long lastDone;
    private long lastNs;

    /** Prints to {@code err}; the first period starts at {@code startNs}. */
    public ProgressLine(PrintStream err, long startNs) {
        this.err = err;
        this.lastNs = startNs;
    }

    /** Adds one interval's corrected latencies to the current period. */
    public void add(Histogram interval) {
        period.add(interval);
    }

    /** Prints the line for the period ending at {@code nowNs} and starts the next one. */
    public void print(long nowNs, long startNs, long sent, long done, long errors) {
        err.println(format(nowNs - startNs, sent, done - lastDone, nowNs - lastNs, done, errors, period));
        lastDone = done;
        lastNs = nowNs;
        period.reset();
    }

    /** The text of one line; {@code periodHist} may be empty (e.g. consumer throughput). */
    static String format(long elapsedNs, long sent, long doneInPeriod, long periodNs, long done, long errors,
                         Histogram periodHist) {
        double rate = periodNs > 0 ? doneInPeriod * 1e9 / periodNs : 0;
        String p99 = periodHist.getTotalCount() == 0 ? "-"
                : String.format(Locale.ROOT, "%.2f ms", IntervalLog.millis(periodHist.getValueAtPercentile(99)));
        return String.format(Locale.ROOT, "[%7.1f s] sent %d  done %d  %.0f rec/s  p99 %s  errors %d",
                elapsedNs / 1e9, sent, done, rate, p99, errors);
    }
}
