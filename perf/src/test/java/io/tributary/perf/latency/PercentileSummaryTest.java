package io.tributary.perf.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PercentileSummaryTest {

    /** 1..1000 ms, one sample each. */
    private static Histogram oneToThousandMs() {
        Histogram h = new Histogram(3);
        for (int ms = 1; ms <= 1000; ms++) {
            h.recordValue(ms * 1_000_000L);
        }
        return h;
    }

    @Test
    void computesThroughputInRecordsAndMebibytesPerSecond() {
        // Given 100,000 records of 1 KiB in 2 s
        PercentileSummary s = new PercentileSummary("run", 100_000, 100_000L * 1024, 2.0, 0, 0, new Histogram(3));
        // Then 50,000 records/s and 48.83 MB/s (MB = 2^20 B)
        assertThat(s.recordsPerSecond()).isEqualTo(50_000.0);
        assertThat(s.megabytesPerSecond()).isCloseTo(48.828, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void reportsPercentilesInMilliseconds() {
        // Given samples of 1..1000 ms
        PercentileSummary s = new PercentileSummary("run", 1000, 1000, 1.0, 0, 0, oneToThousandMs());
        // When the figures are read
        Map<String, String> m = s.toMap();
        // Then p50 is ~500 ms, p99 ~990 ms, max ~1000 ms (within HdrHistogram's 3 digits)
        assertThat(Double.parseDouble(m.get("p50_ms"))).isBetween(499.0, 501.0);
        assertThat(Double.parseDouble(m.get("p99_ms"))).isBetween(989.0, 991.0);
        assertThat(Double.parseDouble(m.get("p999_ms"))).isBetween(998.0, 1000.6);
        assertThat(Double.parseDouble(m.get("max_ms"))).isBetween(999.0, 1000.6);
        assertThat(m.keySet()).containsExactly("label", "records", "seconds", "rec_per_s", "MB_per_s",
                "warmup_records", "errors", "mean_ms", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "p9999_ms", "max_ms");
    }

    @Test
    void textNamesEveryPercentileAndTheWarmUp() {
        // Given a summary with a warm-up
        PercentileSummary s = new PercentileSummary("tributary", 1000, 1024_000, 4.0, 250, 3, oneToThousandMs());
        // When rendered for people
        String text = s.toText();
        // Then
        assertThat(text).startsWith("tributary: 1000 records in 4.0 s (after 250 warm-up records), 3 errors");
        assertThat(text).contains("throughput  250 records/s, 0.2 MB/s");
        assertThat(text).contains(" p50 ", " p90 ", " p99 ", " p99.9 ", " p99.99 ", " max ");
        assertThat(text.lines()).hasSize(3);
    }

    @Test
    void withoutSamplesLatencyIsADash() {
        PercentileSummary s = new PercentileSummary("consume", 10, 10, 1.0, 0, 0, new Histogram(3));
        assertThat(s.toMap().get("p99_ms")).isEqualTo("-");
        assertThat(s.toText()).contains("(no samples)");
        assertThat(s.toProperties()).contains("rec_per_s=10.0\n");
    }
}
