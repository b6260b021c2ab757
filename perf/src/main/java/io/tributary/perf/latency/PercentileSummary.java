package io.tributary.perf.latency;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one run — how many records, how fast, and the latency percentiles — and their
 * two renderings: a few lines for people ({@link #toText()}) and {@code key=value} lines for
 * scripts ({@link #toProperties()}). Latencies come in as nanoseconds and are shown in ms;
 * MB are 2^20 bytes, as the Kafka tools print them.
 */
public final class PercentileSummary {

    /** The percentiles reported, in order. */
    public static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private static final String[] KEYS = {"p50", "p90", "p99", "p999", "p9999"};
    private static final String[] NAMES = {"p50", "p90", "p99", "p99.9", "p99.99"};

    private final String label;
    private final long records;
    private final long bytes;
    private final double seconds;
    private final long warmupRecords;
    private final long errors;
    private final Histogram nanos;

    /**
     * A summary of {@code records} measured records of {@code bytes} payload bytes over
     * {@code seconds}, with their latency histogram {@code nanos} (may be empty, e.g. for a
     * consumer throughput run).
     */
    public PercentileSummary(String label, long records, long bytes, double seconds, long warmupRecords,
                             long errors, Histogram nanos) {
        this.label = label;
        this.records = records;
        this.bytes = bytes;
        this.seconds = seconds;
        this.warmupRecords = warmupRecords;
        this.errors = errors;
        this.nanos = nanos;
    }

    /** The measured time in seconds. */
    public double seconds() {
        return seconds;
    }

    /** Measured records per second. */
    public double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    /** Measured payload MB (2^20 bytes) per second. */
    public double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / (1024.0 * 1024.0) : 0;
    }

    /** The latency at {@code percentile} in milliseconds, or NaN without samples. */
    public double latencyMs(double percentile) {
        return nanos.getTotalCount() == 0 ? Double.NaN : IntervalLog.millis(nanos.getValueAtPercentile(percentile));
    }

    /** The largest latency in ms, or NaN without samples. */
    public double maxMs() {
        return nanos.getTotalCount() == 0 ? Double.NaN : IntervalLog.millis(nanos.getMaxValue());
    }

    /** Three lines: counts, throughput, latency percentiles. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d records in %.1f s", label, records, seconds));
        if (warmupRecords > 0) {
            sb.append(String.format(Locale.ROOT, " (after %d warm-up records)", warmupRecords));
        }
        sb.append(String.format(Locale.ROOT, ", %d errors%n", errors));
        sb.append(String.format(Locale.ROOT, "  throughput  %.0f records/s, %.1f MB/s%n",
                recordsPerSecond(), megabytesPerSecond()));
        if (nanos.getTotalCount() == 0) {
            sb.append(String.format("  latency ms  (no samples)%n"));
            return sb.toString();
        }
        sb.append("  latency ms ");
        for (int i = 0; i < PERCENTILES.length; i++) {
            sb.append(String.format(Locale.ROOT, " %s %s", NAMES[i], ms(latencyMs(PERCENTILES[i]))));
        }
        sb.append(String.format(Locale.ROOT, " max %s (mean %s)%n", ms(maxMs()),
                ms(nanos.getMean() / 1e6)));
        return sb.toString();
    }

    /** The figures as ordered {@code key -> value}; latency keys end in {@code _ms}, "-" without samples. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("records", Long.toString(records));
        m.put("seconds", String.format(Locale.ROOT, "%.3f", seconds));
        m.put("rec_per_s", String.format(Locale.ROOT, "%.1f", recordsPerSecond()));
        m.put("MB_per_s", String.format(Locale.ROOT, "%.2f", megabytesPerSecond()));
        m.put("warmup_records", Long.toString(warmupRecords));
        m.put("errors", Long.toString(errors));
        boolean empty = nanos.getTotalCount() == 0;
        m.put("mean_ms", empty ? "-" : ms(nanos.getMean() / 1e6));
        for (int i = 0; i < PERCENTILES.length; i++) {
            m.put(KEYS[i] + "_ms", empty ? "-" : ms(latencyMs(PERCENTILES[i])));
        }
        m.put("max_ms", empty ? "-" : ms(maxMs()));
        return m;
    }

    /** {@link #toMap()} as {@code key=value} lines. */
    public String toProperties() {
        StringBuilder sb = new StringBuilder();
        toMap().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
