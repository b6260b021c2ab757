package io.tributary.perf.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SendScheduleTest {

    @Test
    void dueTimesAreStartPlusIndexTimesInterval() {
        // Given 50,000 sends per second
        SendSchedule s = SendSchedule.fixedRate(50_000, 0);
        // When / Then every send is due 20 µs after the previous, from the start
        assertThat(s.dueTime(1_000, 0)).isEqualTo(1_000);
        assertThat(s.dueTime(1_000, 1)).isEqualTo(21_000);
        assertThat(s.dueTime(1_000, 50_000)).isEqualTo(1_000_001_000L);
    }

    @Test
    void doesNotDriftOverManySendsAtARateWithoutAnExactInterval() {
        // Given 3 sends per second (333,333,333.33 ns apart)
        SendSchedule s = SendSchedule.fixedRate(3, 0);
        // When the 3,000,000th send's due time is computed
        long due = s.dueTime(0, 3_000_000);
        // Then it is exactly 1,000,000 s after the start (no accumulated rounding)
        assertThat(due).isEqualTo(1_000_000L * 1_000_000_000L);
    }

    @Test
    void producersSharingARateInterleave() {
        // Given 4 producers sharing 1,000 sends per second
        long[] firsts = new long[4];
        long[] seconds = new long[4];
        for (int i = 0; i < 4; i++) {
            SendSchedule s = SendSchedule.share(1_000, i, 4);
            firsts[i] = s.dueTime(0, 0);
            seconds[i] = s.dueTime(0, 1);
        }
        // Then each sends every 4 ms, and together they send every 1 ms
        assertThat(firsts).containsExactly(0, 1_000_000, 2_000_000, 3_000_000);
        assertThat(seconds).containsExactly(4_000_000, 5_000_000, 6_000_000, 7_000_000);
    }

    @Test
    void dueByCountsTheSendsDueAtAGivenTime() {
        // Given 1,000 sends per second, offset 100 ns
        SendSchedule s = SendSchedule.fixedRate(1_000, 100);
        // Then before the first due time none is due, at it one, and just before the second still one
        assertThat(s.dueBy(0, 99)).isZero();
        assertThat(s.dueBy(0, 100)).isEqualTo(1);
        assertThat(s.dueBy(0, 1_000_099)).isEqualTo(1);
        assertThat(s.dueBy(0, 1_000_100)).isEqualTo(2);
        // and it agrees with dueTime everywhere around the boundaries
        SendSchedule odd = SendSchedule.fixedRate(7, 0);
        for (long i = 0; i < 1_000; i++) {
            long due = odd.dueTime(5, i);
            assertThat(odd.dueBy(5, due)).isEqualTo(i + 1);
            assertThat(odd.dueBy(5, due - 1)).isEqualTo(i);
        }
    }

    @Test
    void unthrottledIsNotPacedAndEverythingIsDue() {
        SendSchedule s = SendSchedule.unthrottled();
        assertThat(s.isPaced()).isFalse();
        assertThat(s.dueTime(42, 1_000)).isEqualTo(42);
        assertThat(s.dueBy(0, 0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsNonsenseRates() {
        assertThatThrownBy(() -> SendSchedule.fixedRate(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SendSchedule.fixedRate(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SendSchedule.share(10, 2, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
