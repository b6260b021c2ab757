package io.tributary.perf.plot;

/**
 * The x axis of a latency plot: percentile p mapped to log10(1/(1-p)), so 90 %, 99 %, 99.9 %…
 * are equally spaced. The axis ends at 99.999 % ({@link #MAX_DECADES}); higher percentiles,
 * including 100 % (the maximum), are drawn at its right edge.
 */
public final class PercentileAxis {

    /** Number of nines shown: 0 % .. 99.999 %. */
    public static final int MAX_DECADES = 5;

    private static final String[] LABELS = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};

    private PercentileAxis() {
    }

    /** Position of percentile {@code p} (a fraction) on the axis, from 0 to {@link #MAX_DECADES}. */
    public static double position(double p) {
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return MAX_DECADES;
        }
        return Math.min(MAX_DECADES, Math.log10(1 / (1 - p)));
    }

    /** The label of tick {@code decade} (0 … {@link #MAX_DECADES}). */
    public static String tickLabel(int decade) {
        return LABELS[decade];
    }
}
