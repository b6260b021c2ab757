package io.tributary.pipeline.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StageWaitStrategyTest {
    private final StageWaitStrategy strategy = new StageWaitStrategy();

    @Test
    void aSignalWakesOnlyTheStageWhoseSequenceMoved() throws Exception {
        // given a stage parked until sequence `before` reaches 0, and another parked until `other` does
        Sequence before = new Sequence();
        Sequence other = new Sequence();
        CountingBarrier waiting = new CountingBarrier();
        CountingBarrier woken = new CountingBarrier();
        CompletableFuture<Long> parked = wait(before, waiting);
        CompletableFuture<Long> released = wait(other, woken);
        awaitParked(waiting);
        long started = System.nanoTime();
        int loopsBefore = waiting.checks.get();

        // when `other` moves and 100 signals follow, each once every waiter is parked again
        other.set(0);
        for (int i = 0; i < 100; i++) {
            strategy.signalAllWhenBlocking();
            awaitParked(waiting);
        }

        // then the stage waiting on `other` returned, and the one waiting on `before` looked again only on its
        // 50 ms safety wake-ups, not once per signal
        assertThat(released.get(30, TimeUnit.SECONDS)).isEqualTo(0L);
        long safetyWakeups = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) / 50 + 2;
        assertThat(waiting.checks.get() - loopsBefore).isLessThanOrEqualTo((int) Math.min(safetyWakeups, 50));
        assertThat(parked).isNotDone();
        before.set(0);
        strategy.signalAllWhenBlocking();
        assertThat(parked.get(30, TimeUnit.SECONDS)).isEqualTo(0L);
    }

    @Test
    void anAlertedStageIsWokenBySignal() throws Exception {
        // given a stage parked on a sequence that does not move
        CountingBarrier barrier = new CountingBarrier();
        CompletableFuture<Long> parked = wait(new Sequence(), barrier);
        awaitParked(barrier);

        // when its barrier is alerted (the Disruptor's halt)
        barrier.alert();

        // then it leaves with AlertException
        assertThat(parked).failsWithin(30, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(AlertException.class);
    }

    private CompletableFuture<Long> wait(Sequence dependent, CountingBarrier barrier) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            barrier.thread = Thread.currentThread();
            try {
                result.complete(strategy.waitFor(0, dependent, dependent, barrier));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "stage-wait-test");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** Waits until the waiter has looked at its barrier at least once and is parked. */
    private static void awaitParked(CountingBarrier barrier) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (barrier.thread == null || barrier.checks.get() == 0
                || barrier.thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("waiter parked in time").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** Counts {@link #checkAlert()}: a parked stage calls it each time it wakes and looks again. */
    private final class CountingBarrier implements SequenceBarrier {
        final AtomicInteger checks = new AtomicInteger();
        volatile Thread thread;
        volatile boolean alerted;

        @Override
        public long waitFor(long sequence) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCursor() {
            return -1;
        }

        @Override
        public boolean isAlerted() {
            return alerted;
        }

        @Override
        public void alert() {
            alerted = true;
            strategy.signalAllWhenBlocking();
        }

        @Override
        public void clearAlert() {
            alerted = false;
        }

        @Override
        public void checkAlert() throws AlertException {
            checks.incrementAndGet();
            if (alerted) {
                throw AlertException.INSTANCE;
            }
        }
    }
}
