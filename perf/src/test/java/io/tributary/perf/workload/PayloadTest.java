package io.tributary.perf.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PayloadTest {

    @Test
    void isRandomUppercaseLettersOfTheGivenSize() {
        byte[] b = new Payload(1024, 5).bytes();
        assertThat(b).hasSize(1024);
        for (byte x : b) {
            assertThat((char) x).isBetween('A', 'Z');
        }
    }

    @Test
    void stampsRoundTripIncludingNegativeNanoTimes() {
        Payload p = new Payload(20, 5);
        p.stamp(-123_456_789_012L, Long.MAX_VALUE - 1);
        assertThat(Payload.dueNs(p.bytes())).isEqualTo(-123_456_789_012L);
        assertThat(Payload.sentNs(p.bytes())).isEqualTo(Long.MAX_VALUE - 1);
        assertThat((char) p.bytes()[16]).isBetween('A', 'Z');
    }
}
