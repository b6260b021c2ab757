package io.tributary.perf.latency;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LatencyRecorderTest {

    @Test
    void recordsFromTheDueTimeAndFromTheActualSend() {
        // Given a recorder
        LatencyRecorder r = new LatencyRecorder();
        // When a record due at 0, sent at 3 ms, acked at 5 ms completes
        r.record(0, 3_000_000, 5_000_000, 100);
        // Then corrected latency is 5 ms and uncorrected 2 ms
        LatencyRecorder.Interval i = r.takeInterval(null, null);
        assertThat(i.corrected().getMaxValue()).isEqualTo(i.corrected().highestEquivalentValue(5_000_000));
        assertThat(i.uncorrected().getMaxValue()).isEqualTo(i.uncorrected().highestEquivalentValue(2_000_000));
        assertThat(r.measuredRecords()).isEqualTo(1);
        assertThat(r.measuredBytes()).isEqualTo(100);
        assertThat(r.lastDoneNs()).isEqualTo(5_000_000);
    }

    @Test
    void excludesRecordsDueDuringTheWarmUp() {
        // Given measurement from t = 1 s
        LatencyRecorder r = new LatencyRecorder();
        r.measureFrom(1_000_000_000L);
        // When records due before and after complete
        boolean early = r.record(999_999_999L, 999_999_999L, 1_100_000_000L, 10);
        boolean late = r.record(1_000_000_000L, 1_000_000_000L, 1_100_000_000L, 10);
        // Then only the second is measured
        assertThat(early).isFalse();
        assertThat(late).isTrue();
        assertThat(r.warmupRecords()).isEqualTo(1);
        assertThat(r.measuredRecords()).isEqualTo(1);
        assertThat(r.takeInterval(null, null).corrected().getTotalCount()).isEqualTo(1);
    }

    @Test
    void intervalsDoNotOverlapAndErrorsStayOutOfTheHistograms() {
        // Given two records in the first interval and one in the second
        LatencyRecorder r = new LatencyRecorder();
        r.record(0, 0, 10, 1);
        r.record(0, 0, 20, 1);
        Histogram first = r.takeInterval(null, null).corrected();
        long firstCount = first.getTotalCount();
        r.record(0, 0, 30, 1);
        r.recordError();
        // When the second interval is taken
        Histogram second = r.takeInterval(null, null).corrected();
        // Then each holds only its own records, and the error is only counted
        assertThat(firstCount).isEqualTo(2);
        assertThat(second.getTotalCount()).isEqualTo(1);
        assertThat(r.errors()).isEqualTo(1);
    }

    @Test
    void clampsNegativeLatencyToZero() {
        LatencyRecorder r = new LatencyRecorder();
        r.record(100, 100, 50, 1);
        assertThat(r.takeInterval(null, null).corrected().getMaxValue()).isZero();
    }
}
