package io.tributary.perf.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.perf.transport.ConsumerDriver;
import io.tributary.perf.transport.RecordHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ConsumerLoopTest {

    /** Delivers {@code batches} polls of 10 one-byte records, then nothing. */
    private static final class ScriptedConsumer implements ConsumerDriver {
        private final boolean assigned;
        private int batches;
        boolean closed;

        ScriptedConsumer(boolean assigned, int batches) {
            this.assigned = assigned;
            this.batches = batches;
        }

        @Override
        public boolean awaitAssignment(Duration timeout) {
            return assigned;
        }

        @Override
        public int poll(Duration timeout, RecordHandler handler) {
            if (batches == 0) {
                return 0;
            }
            batches--;
            for (int i = 0; i < 10; i++) {
                handler.onRecord(new byte[1]);
            }
            return 10;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void readsUntilIdleThenClosesAndRemembersItsFirstAndLastRecords() {
        // Given a consumer with 3 batches and an idle timeout of 100 ms
        ScriptedConsumer driver = new ScriptedConsumer(true, 3);
        AtomicInteger records = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(1);
        ConsumerLoop loop = new ConsumerLoop(() -> driver, v -> records.incrementAndGet(), () -> false,
                Duration.ofMillis(100), ready);
        long before = System.nanoTime();
        // When it runs
        loop.run();
        // Then it read all 30, signalled ready, stopped when idle and closed the consumer
        assertThat(records.get()).isEqualTo(30);
        assertThat(ready.getCount()).isZero();
        assertThat(driver.closed).isTrue();
        assertThat(loop.firstRecordNs()).isBetween(before, loop.lastRecordNs());
        assertThat(loop.failure()).isNull();
    }

    @Test
    void stopsWhenFinishedSaysSoWithoutAnIdleTimeout() {
        // Given endless batches and a stop after 50 records
        ScriptedConsumer driver = new ScriptedConsumer(true, Integer.MAX_VALUE);
        AtomicLong records = new AtomicLong();
        ConsumerLoop loop = new ConsumerLoop(() -> driver, v -> records.incrementAndGet(),
                () -> records.get() >= 50, Duration.ZERO, new CountDownLatch(1));
        // When it runs
        loop.run();
        // Then it stops at the first check after 50
        assertThat(records.get()).isEqualTo(50);
    }

    @Test
    void aConsumerWithoutPartitionsFailsAndStillCountsDownReady() {
        // Given a consumer that never gets its partitions
        ScriptedConsumer driver = new ScriptedConsumer(false, 1);
        CountDownLatch ready = new CountDownLatch(1);
        ConsumerLoop loop = new ConsumerLoop(() -> driver, v -> { }, () -> false, Duration.ZERO, ready);
        // When it runs
        loop.run();
        // Then the failure is reported and nobody waits for it forever
        assertThat(loop.failure()).hasMessageContaining("no partitions assigned");
        assertThat(ConsumerLoop.firstFailure(List.of(loop))).isSameAs(loop.failure());
        assertThat(ready.getCount()).isZero();
        assertThat(driver.closed).isTrue();
    }
}
