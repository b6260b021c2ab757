package io.tributary.kafka.network;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class RateLimitedLogTest {
    @Test
    void aFloodCostsOneLinePerIntervalAndTheNextLineCountsWhatWasLeftOut() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        RateLimitedLog log = new RateLimitedLog(logger, 200);

        for (int i = 0; i < 200_000; i++) {
            log.warn("Closing connection from {}: {}", "client-" + i, "bad frame");
        }
        assertThat(lines.list.size()).as("lines for 200,000 bad frames").isLessThan(20);

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lines.list.size() < 2 && System.nanoTime() < deadline) {
            log.warn("Closing connection from {}: {}", "late", "bad frame");
            Thread.sleep(20);
        }
        ILoggingEvent summary = lines.list.get(1);
        assertThat(summary.getFormattedMessage()).startsWith("Closing connection from late: bad frame (and ")
                .contains("more like this");
        logger.detachAppender(lines);
    }
}
