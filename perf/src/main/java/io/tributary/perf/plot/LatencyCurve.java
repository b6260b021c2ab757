package io.tributary.perf.plot;

import io.tributary.perf.latency.HistogramFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One series of a plot: latency (ms) at increasing percentiles (as fractions, 0 ≤ p ≤ 1).
 *
 * @param label       legend text
 * @param percentiles fractions, ascending
 * @param millis      latency at each, in ms
 */
public record LatencyCurve(String label, double[] percentiles, double[] millis) {

    /** Percentile steps per halving of the distance to 100 %. */
    private static final int TICKS = 5;

    /** Checks that the arrays match. */
    public LatencyCurve {
        if (percentiles.length != millis.length) {
            throw new IllegalArgumentException("percentiles and values differ in length");
        }
    }

    /** The curve of {@code h}, whose values are {@code unitsPerMs} units per millisecond (1e6 for ns). */
    public static LatencyCurve fromHistogram(String label, Histogram h, double unitsPerMs) {
        List<double[]> points = new ArrayList<>();
        if (h.getTotalCount() > 0) {
            for (HistogramIterationValue v : h.percentiles(TICKS)) {
                points.add(new double[] {v.getPercentileLevelIteratedTo() / 100.0,
                    h.highestEquivalentValue(v.getValueIteratedTo()) / unitsPerMs});
            }
        }
        return of(label, points);
    }

    /**
     * Reads {@code file}: an {@code .hlog} (this tool's: ns; the untagged, corrected intervals
     * summed) or an {@code .hgrm} percentile distribution with values in ms (as this tool writes
     * them; scale others with {@code unitsPerMs}).
     */
    public static LatencyCurve load(String label, Path file, double hgrmUnitsPerMs) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".hlog")) {
            return fromHistogram(label, HistogramFiles.readHlog(file, null), 1e6);
        }
        return fromHgrm(label, Files.readAllLines(file, StandardCharsets.UTF_8), hgrmUnitsPerMs);
    }

    /**
     * Parses the lines of a {@code .hgrm} file: rows of value, percentile (fraction), total count
     * and 1/(1-p); headers, comments and the {@code #[Mean ...]} footer are skipped.
     */
    static LatencyCurve fromHgrm(String label, List<String> lines, double unitsPerMs) {
        List<double[]> points = new ArrayList<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("Value")) {
                continue;
            }
            String[] cols = t.split("\\s+");
            if (cols.length < 3) {
                continue;
            }
            try {
                points.add(new double[] {Double.parseDouble(cols[1]), Double.parseDouble(cols[0]) / unitsPerMs});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a .hgrm row: " + line, e);
            }
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no percentile rows in .hgrm input for " + label);
        }
        return of(label, points);
    }

    private static LatencyCurve of(String label, List<double[]> points) {
        double[] p = new double[points.size()];
        double[] v = new double[points.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = points.get(i)[0];
            v[i] = points.get(i)[1];
        }
        return new LatencyCurve(label, p, v);
    }

    /** The largest latency, 0 if empty. */
    public double maxMillis() {
        double m = 0;
        for (double v : millis) {
            m = Math.max(m, v);
        }
        return m;
    }
}
