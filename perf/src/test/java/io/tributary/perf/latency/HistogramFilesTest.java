package io.tributary.perf.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class HistogramFilesTest {

    @TempDir
    Path dir;

    @Test
    void hlogHoldsOneCorrectedAndOneUncorrectedHistogramPerInterval() throws Exception {
        // Given a recorder sampled three times into an .hlog
        LatencyRecorder r = new LatencyRecorder();
        Path file = dir.resolve("run.hlog");
        long origin = 1_000_000_000L;
        try (OutputStream out = Files.newOutputStream(file);
             IntervalLog log = new IntervalLog(r, out, origin, 1_700_000_000_000L)) {
            for (int interval = 1; interval <= 3; interval++) {
                for (int i = 0; i < interval * 10; i++) {
                    r.record(0, 1_000_000, 2_000_000 + i, 8);
                }
                log.sample(origin + interval * 1_000_000_000L);
            }
            // When the totals are kept in memory
            assertThat(log.totalCorrected().getTotalCount()).isEqualTo(60);
        }
        // Then HistogramLogReader gets back 3 untagged and 3 tagged intervals with their counts
        List<Long> untagged = new ArrayList<>();
        List<Long> tagged = new ArrayList<>();
        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        EncodableHistogram e;
        while ((e = reader.nextIntervalHistogram()) != null) {
            Histogram h = (Histogram) e;
            (h.getTag() == null ? untagged : tagged).add(h.getTotalCount());
            assertThat(h.getTag()).isIn(null, IntervalLog.UNCORRECTED_TAG);
        }
        reader.close();
        assertThat(untagged).containsExactly(10L, 20L, 30L);
        assertThat(tagged).containsExactly(10L, 20L, 30L);
        // and readHlog sums each kind
        Histogram corrected = HistogramFiles.readHlog(file, null);
        Histogram uncorrected = HistogramFiles.readHlog(file, IntervalLog.UNCORRECTED_TAG);
        assertThat(corrected.getTotalCount()).isEqualTo(60);
        assertThat(corrected.getMinValue()).isGreaterThanOrEqualTo(2_000_000 - 2_000);
        assertThat(uncorrected.getMaxValue()).isLessThan(1_100_000);
    }

    @Test
    void hgrmIsThePercentileDistributionInMilliseconds() throws Exception {
        // Given 1,000 samples of exactly 7 ms
        Histogram h = new Histogram(3);
        h.recordValueWithCount(7_000_000, 1_000);
        Path file = dir.resolve("run.hgrm");
        // When written
        HistogramFiles.writeHgrm(h, file);
        // Then it has the usual header, rows of ~7.000 ms, and the footer with the total count
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0).trim()).startsWith("Value");
        assertThat(lines).anyMatch(l -> l.trim().startsWith("7.00"));
        assertThat(lines).anyMatch(l -> l.contains("Total count") && l.contains("1000"));
    }
}
