package io.tributary.perf.workload;

import io.tributary.perf.latency.HistogramFiles;
import io.tributary.perf.latency.IntervalLog;
import io.tributary.perf.latency.PercentileSummary;
import io.tributary.perf.plot.LatencyCurve;
import io.tributary.perf.plot.PlotFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The files one run leaves in its output directory, all named after its label:
 * {@code LABEL.hlog} (interval histograms, written while it runs), {@code LABEL.hgrm} and
 * {@code LABEL-uncorrected.hgrm} (percentile distributions in ms), {@code LABEL.properties}
 * (the summary as key=value) and {@code LABEL.png} / {@code LABEL.html} (the percentile plot,
 * corrected beside uncorrected).
 */
public final class RunOutput {

    private final Path dir;
    private final String label;

    /** Output of run {@code label} into {@code dir} (created if missing). */
    public RunOutput(Path dir, String label) throws IOException {
        if (!label.matches("[A-Za-z0-9._@-]+")) {
            throw new IllegalArgumentException("label may hold only letters, digits and . _ @ -: " + label);
        }
        this.dir = Files.createDirectories(dir);
        this.label = label;
    }

    /** Writes {@code LABEL-SUFFIX.properties} with a second summary of the run (e.g. producer acks). */
    public void writeSecondary(String suffix, PercentileSummary summary, PrintStream out) throws IOException {
        Files.writeString(dir.resolve(label + "-" + suffix + ".properties"), summary.toProperties(),
                StandardCharsets.UTF_8);
        out.print(summary.toText());
    }

    /** Writes {@code LABEL-SUFFIX.hgrm}: the percentile distribution of {@code nanos}, in ms. */
    public void writeHgrm(String suffix, org.HdrHistogram.Histogram nanos) throws IOException {
        HistogramFiles.writeHgrm(nanos, dir.resolve(label + "-" + suffix + ".hgrm"));
    }

    /** The label. */
    public String label() {
        return label;
    }

    /** Opens the {@code .hlog} for the {@link IntervalLog} to write. */
    public OutputStream openHlog() throws IOException {
        return Files.newOutputStream(dir.resolve(label + ".hlog"));
    }

    /**
     * Writes the distributions, the summary and (if there are latency samples) the plots, and
     * prints the summary and the file names to {@code out}.
     */
    public void write(PercentileSummary summary, IntervalLog log, PrintStream out) throws IOException {
        write(summary, Map.of(), log, out);
    }

    /** As {@link #write(PercentileSummary, IntervalLog, PrintStream)}, with {@code extra} figures appended. */
    public void write(PercentileSummary summary, Map<String, String> extra, IntervalLog log, PrintStream out)
            throws IOException {
        StringBuilder props = new StringBuilder(summary.toProperties());
        extra.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve(label + ".properties"), props, StandardCharsets.UTF_8);
        out.print(summary.toText());
        if (log.totalCorrected().getTotalCount() > 0) {
            HistogramFiles.writeHgrm(log.totalCorrected(), dir.resolve(label + ".hgrm"));
            HistogramFiles.writeHgrm(log.totalUncorrected(), dir.resolve(label + "-uncorrected.hgrm"));
            List<LatencyCurve> curves = List.of(
                    LatencyCurve.fromHistogram(label, log.totalCorrected(), 1e6),
                    LatencyCurve.fromHistogram(label + " (uncorrected)", log.totalUncorrected(), 1e6));
            PlotFiles.write(curves, label + ": latency by percentile", dir.resolve(label));
            out.println("  files: " + dir.resolve(label) + ".{properties,hlog,hgrm,png,html}");
        } else {
            out.println("  files: " + dir.resolve(label) + ".properties");
        }
    }
}
