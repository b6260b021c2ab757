package io.tributary.perf.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProgressLineTest {

    @Test
    void showsElapsedCountsRateOfThePeriodAndItsP99() {
        // Given a progress line and 100 samples of 1..100 ms in the first 5 s period
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        Histogram h = new Histogram(3);
        for (int ms = 1; ms <= 100; ms++) {
            h.recordValue(ms * 1_000_000L);
        }
        line.add(h);
        // When two lines are printed, 5 s apart, with 250,000 then 500,000 done
        line.print(5_000_000_000L, 0, 260_000, 250_000, 0);
        line.print(10_000_000_000L, 0, 510_000, 500_000, 2);
        // Then each shows the rate and p99 of its own period only
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertThat(lines[0]).isEqualTo("[    5.0 s] sent 260000  done 250000  50000 rec/s  p99 99.02 ms  errors 0");
        assertThat(lines[1]).isEqualTo("[   10.0 s] sent 510000  done 500000  50000 rec/s  p99 -  errors 2");
    }
}
