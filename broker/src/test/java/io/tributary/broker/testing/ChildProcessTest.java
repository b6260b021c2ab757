package io.tributary.broker.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class ChildProcessTest {
    @TempDir
    Path dir;

    private ChildProcess sh(String script) {
        return ChildProcess.start("sh", List.of("/bin/sh", "-c", script), dir.resolve("sh.out"), ChildProcess.Echo.NONE);
    }

    @Test
    void awaitMatchReturnsTheFirstMatchingLine() throws Exception {
        // Given a child that prints a port line and keeps running
        ChildProcess child = sh("echo starting; echo 'bound to port 4711'; sleep 20");

        // When waiting for the port line
        Matcher m = child.awaitMatch(Pattern.compile("port (\\d+)"), Duration.ofSeconds(10));

        // Then the matcher holds the port, and stop ends the child within its grace period
        assertThat(m.group(1)).isEqualTo("4711");
        child.stop(Duration.ofSeconds(5));
        assertThat(child.isAlive()).isFalse();
        assertThat(child.lines()).containsExactly("starting", "bound to port 4711");
    }

    @Test
    void awaitMatchFailsWithTheOutputWhenTheChildExitsFirst() {
        // Given a child that exits without the line
        ChildProcess child = sh("echo 'bad config'; exit 3");

        // When / Then waiting fails at once with its exit code and output, not at the timeout
        assertThatThrownBy(() -> child.awaitMatch(Pattern.compile("started"), Duration.ofSeconds(20)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 3").hasMessageContaining("bad config");
    }

    @Test
    void awaitMatchTimesOut() throws Exception {
        // Given a child that prints nothing
        ChildProcess child = sh("sleep 20");

        // When / Then
        assertThatThrownBy(() -> child.awaitMatch(Pattern.compile("started"), Duration.ofMillis(200)))
                .isInstanceOf(TimeoutException.class);
        assertThat(child.isAlive()).isTrue();
        assertThat(child.awaitLine("started", Duration.ofMillis(100))).isFalse();
    }

    @Test
    void awaitExitReturnsTheCodeAndEveryLineIncludingAnUnterminatedLast() throws Exception {
        // Given a child whose last line has no newline
        ChildProcess child = sh("echo one; printf two; exit 7");

        // When
        int exit = child.awaitExit(Duration.ofSeconds(10));

        // Then
        assertThat(exit).isEqualTo(7);
        assertThat(child.lines()).containsExactly("one", "two");
        assertThat(child.output()).isEqualTo("one\ntwo");
    }

    @Test
    void stopSendsSigkillWhenSigtermIsIgnored() throws Exception {
        // Given a child that ignores SIGTERM
        ChildProcess child = sh("trap '' TERM; echo ready; while true; do sleep 1; done");
        assertThat(child.awaitLine("ready", Duration.ofSeconds(10))).isTrue();

        // When
        long start = System.nanoTime();
        child.stop(Duration.ofMillis(300));

        // Then it is gone soon after the grace period
        assertThat(child.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
