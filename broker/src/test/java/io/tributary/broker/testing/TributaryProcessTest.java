package io.tributary.broker.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TributaryProcessTest {

    @Test
    void startedPatternFindsTheFirstListenersPortInMainsStartupLine() {
        // Given Main's startup line as logback prints it
        String line = "07:12:01.123 INFO  io.tributary.broker.Main - Tributary started in 312 ms: node 1, cluster AbC, "
                + "listeners [PLAINTEXT://127.0.0.1:40123, OTHER://127.0.0.1:40124], data directory /tmp/x";

        // When
        Matcher m = TributaryProcess.STARTED.matcher(line);

        // Then
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("40123");
    }
}
