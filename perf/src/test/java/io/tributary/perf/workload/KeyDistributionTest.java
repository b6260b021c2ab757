package io.tributary.perf.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class KeyDistributionTest {

    @Test
    void noneGivesNullKeys() {
        assertThat(KeyDistribution.parse("none").newChooser(1).next()).isNull();
    }

    @Test
    void sequentialCyclesThroughTheKeys() {
        KeyDistribution.Chooser c = KeyDistribution.parse("sequential:3").newChooser(1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(new String(c.next(), StandardCharsets.US_ASCII)).append(' ');
        }
        assertThat(sb.toString()).isEqualTo("key-0 key-1 key-2 key-0 key-1 ");
    }

    @Test
    void uniformUsesEveryKeyAboutEqually() {
        // Given 10 keys drawn 100,000 times
        KeyDistribution.Chooser c = KeyDistribution.parse("uniform:10").newChooser(42);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            counts.merge(new String(c.next(), StandardCharsets.US_ASCII), 1, Integer::sum);
        }
        // Then all 10 appear, each within 10 % of 10,000
        assertThat(counts).hasSize(10);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(9_000, 11_000));
    }

    @Test
    void rejectsBadSpecs() {
        for (String bad : new String[] {"uniform", "uniform:0", "uniform:x", "zipf:3", ""}) {
            assertThatThrownBy(() -> KeyDistribution.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
