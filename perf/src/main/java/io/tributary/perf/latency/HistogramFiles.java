package io.tributary.perf.latency;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/** Writes and reads the HdrHistogram text files: {@code .hgrm} distributions and {@code .hlog} logs. */
public final class HistogramFiles {

    /** Percentile steps per halving of the distance to 100 % in a {@code .hgrm} file. */
    public static final int TICKS_PER_HALF_DISTANCE = 5;

    private HistogramFiles() {
    }

    /**
     * Writes the percentile distribution of {@code nanos} (values in nanoseconds) to
     * {@code file} in the {@code .hgrm} format of {@link Histogram#outputPercentileDistribution},
     * with values in milliseconds.
     */
    public static void writeHgrm(Histogram nanos, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             PrintStream ps = new PrintStream(out, false, StandardCharsets.UTF_8)) {
            nanos.outputPercentileDistribution(ps, TICKS_PER_HALF_DISTANCE, 1e6);
            ps.flush();
            if (ps.checkError()) {
                throw new IOException("could not write " + file);
            }
        }
    }

    /**
     * Reads every interval histogram of an {@code .hlog} file carrying {@code tag} (null: the
     * untagged ones, i.e. the corrected latencies this tool writes) and returns their sum.
     * Values stay as they were recorded (nanoseconds for this tool's logs).
     */
    public static Histogram readHlog(Path file, String tag) throws IOException {
        Histogram sum = new Histogram(3);
        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        try {
            EncodableHistogram next;
            while ((next = reader.nextIntervalHistogram()) != null) {
                if (next instanceof Histogram h && Objects.equals(h.getTag(), tag)) {
                    sum.add(h);
                }
            }
        } finally {
            reader.close();
        }
        return sum;
    }
}
