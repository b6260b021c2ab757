package io.tributary.perf.plot;

import java.util.List;
import java.util.Locale;

/**
 * Geometry shared by the PNG and SVG renderings: the plot area inside the margins, the y range
 * rounded up to a "nice" value, and the mapping from (percentile, ms) to pixels.
 */
final class PlotLayout {

    static final int LEFT = 80;
    static final int RIGHT = 30;
    static final int TOP = 50;
    static final int BOTTOM = 60;
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#17becf"};

    final int width;
    final int height;
    final YScale scale;
    final double yMin;
    final double yMax;
    final double yStep;

    PlotLayout(int width, int height, List<LatencyCurve> curves) {
        this(width, height, curves, YScale.LINEAR);
    }

    PlotLayout(int width, int height, List<LatencyCurve> curves, YScale scale) {
        if (width < LEFT + RIGHT + 50 || height < TOP + BOTTOM + 50) {
            throw new IllegalArgumentException("plot too small: " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.scale = scale;
        double max = 0;
        double minPositive = Double.MAX_VALUE;
        for (LatencyCurve c : curves) {
            max = Math.max(max, c.maxMillis());
            for (double v : c.millis()) {
                if (v > 0) {
                    minPositive = Math.min(minPositive, v);
                }
            }
        }
        // histogram values are the top of their bucket (up to 0.1 % above the value recorded):
        // let that overshoot clip rather than add a whole grid step
        double top = max * 0.999;
        if (scale == YScale.LOG) {
            this.yStep = 10;
            this.yMin = Math.max(0.001, Math.pow(10, Math.floor(Math.log10(Math.min(minPositive, Math.max(top, 0.001))))));
            this.yMax = Math.max(yMin * 10, Math.pow(10, Math.ceil(Math.log10(Math.max(top, 0.001)))));
        } else {
            this.yStep = niceStep(top > 0 ? top / 5 : 0.2);
            this.yMin = 0;
            this.yMax = Math.max(yStep, Math.ceil(top / yStep) * yStep);
        }
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k that is at least {@code raw}. */
    static double niceStep(double raw) {
        double base = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * base >= raw * (1 - 1e-9)) {
                return m * base;
            }
        }
        return 10 * base;
    }

    double x(double percentile) {
        return LEFT + PercentileAxis.position(percentile) / PercentileAxis.MAX_DECADES * plotWidth();
    }

    double xDecade(int decade) {
        return LEFT + (double) decade / PercentileAxis.MAX_DECADES * plotWidth();
    }

    double y(double millis) {
        double frac;
        if (scale == YScale.LOG) {
            double v = Math.min(Math.max(millis, yMin), yMax);
            frac = (Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin));
        } else {
            frac = Math.min(millis, yMax) / yMax;
        }
        return TOP + plotHeight() - frac * plotHeight();
    }

    int plotWidth() {
        return width - LEFT - RIGHT;
    }

    int plotHeight() {
        return height - TOP - BOTTOM;
    }

    int yTickCount() {
        if (scale == YScale.LOG) {
            return (int) Math.round(Math.log10(yMax / yMin));
        }
        return (int) Math.round(yMax / yStep);
    }

    double yTickValue(int i) {
        return scale == YScale.LOG ? yMin * Math.pow(10, i) : i * yStep;
    }

    String yTickLabel(int i) {
        double v = yTickValue(i);
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }

    static String color(int series) {
        return COLORS[series % COLORS.length];
    }
}
