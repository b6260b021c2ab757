package io.tributary.pipeline.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wait strategy that parks a stage both while the ring is empty and while the stage before it is
 * still busy. The Disruptor's own {@code BlockingWaitStrategy} parks only on the first: a stage
 * waiting for the one before it spins, so the commit stage would burn a core through every fsync
 * of the journal, on a machine that may have two.
 *
 * <p>Wake-ups come from two places: a publisher's {@code publish} (the Disruptor calls
 * {@link #signalAllWhenBlocking()}), and a stage that finished a batch: it stores its sequence
 * first and then calls {@link #signalAllWhenBlocking()} ({@link StageProgress}). Both store before
 * taking the lock a waiter re-checks under, so no wake-up is lost. An idle stage wakes
 * every 50 ms, about twenty cheap wake-ups a second.
 */
final class StageWaitStrategy implements WaitStrategy {
    /**
     * A parked stage also looks again this often, so a stage whose handler threw (the Disruptor then
     * stores its sequence without a signal) delays the next stage by at most this much.
     */
    private static final long SAFETY_WAKEUP_NANOS = 50_000_000L;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        lock.lock();
        try {
            while ((available = dependentSequence.get()) < sequence) {
                barrier.checkAlert();
                progressed.awaitNanos(SAFETY_WAKEUP_NANOS);
            }
        } finally {
            lock.unlock();
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        lock.lock();
        try {
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
