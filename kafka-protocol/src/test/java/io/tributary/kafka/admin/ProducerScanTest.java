package io.tributary.kafka.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ProducerScanTest {
    @Test
    void lastSequenceWrapsPastIntegerMax() {
        assertThat(ProducerScan.lastSequence(0, 4)).isEqualTo(4);
        assertThat(ProducerScan.lastSequence(Integer.MAX_VALUE, 0)).isEqualTo(Integer.MAX_VALUE);
        assertThat(ProducerScan.lastSequence(Integer.MAX_VALUE - 1, 3)).isEqualTo(1);
    }
}
