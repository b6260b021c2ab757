package io.tributary.kafka.network;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class RateLimitedLogTest {
    @Test
    void aFloodCostsAFewLinesPerKindAndALaterLineCountsWhatWasLeftOut() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            RateLimitedLog log = new RateLimitedLog(1000);

            for (int i = 0; i < 200_000; i++) {
                String reason = "bad frame " + i;
                log.warn(logger, RateLimitedLog.kindOf(reason), "Closing connection from {}: {}", "client", reason);
            }
            log.warn(logger, "other kind", "Closing connection from {}: {}", "client", "idle");
            assertThat(messages(lines)).as("lines for 200,000 bad frames").hasSizeLessThan(20)
                    .as("another kind is not held back").contains("Closing connection from client: idle");

            long deadline = System.nanoTime() + 20_000_000_000L;
            while (messages(lines).stream().noneMatch(m -> m.contains("late")) && System.nanoTime() < deadline) {
                log.warn(logger, RateLimitedLog.kindOf("bad frame 7"), "Closing connection from {}: {}", "late", "bad frame 7");
                Thread.sleep(20);
            }
            assertThat(messages(lines).stream().filter(m -> m.contains("bad frame")).skip(1).toList())
                    .anySatisfy(m -> assertThat(m).containsPattern("\\(and \\d+ more like this since the last such line\\)"));
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void eachListenerHasItsOwnBudget() {
        Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-test-listeners");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            RateLimitedLog flooded = new RateLimitedLog(60_000);
            RateLimitedLog quiet = new RateLimitedLog(60_000);
            for (int i = 0; i < 1000; i++) {
                flooded.warn(logger, "frame too large", "Closing connection from {}: flood {}", "a", i);
            }

            quiet.warn(logger, "frame too large", "Closing connection from {}: first on this listener", "b");

            assertThat(messages(lines)).containsExactly("Closing connection from a: flood 0",
                    "Closing connection from b: first on this listener");
        } finally {
            logger.detachAppender(lines);
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> lines) {
        synchronized (lines) {
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
