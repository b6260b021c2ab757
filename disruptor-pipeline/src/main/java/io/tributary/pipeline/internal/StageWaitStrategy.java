package io.tributary.pipeline.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A wait strategy that parks a stage both while the ring is empty and while the stage before it is
 * still busy. The Disruptor's own {@code BlockingWaitStrategy} parks only on the first: a stage
 * waiting for the one before it spins, so the commit stage would burn a core through every fsync
 * of the journal, on a machine that may have two.
 *
 * <p>Wake-ups come from two places: a publisher's {@code publish} (the Disruptor calls
 * {@link #signalAllWhenBlocking()}), and a stage that finished a batch: it stores its sequence
 * first and then calls {@link #signalAllWhenBlocking()} ({@link StageProgress}). A signal unparks
 * only the stages whose wait is over (the sequence each waits on has reached what it wants, or its
 * barrier was alerted), not every parked stage: a publish wakes the sequence stage alone, the
 * sequence stage wakes the journal, the journal wakes the commit stage. Waking all three on each of
 * those (a {@code Condition.signalAll}) tripled the context switches of a lone synchronous send,
 * each one a wasted turn on a busy two-core machine (decision 0034).
 *
 * <p>No wake-up is lost: a waiter announces itself ({@link Waiter#waiting}) and then re-reads the
 * sequence; a signaller stores the sequence and then reads the announcements, with a full fence
 * between each side's store and load, so at least one of them sees the other's store. A parked
 * stage also wakes every 50 ms, about twenty cheap wake-ups a second.
 */
final class StageWaitStrategy implements WaitStrategy {
    /**
     * A parked stage also looks again this often, so a stage whose handler threw (the Disruptor then
     * stores its sequence without a signal) delays the next stage by at most this much.
     */
    private static final long SAFETY_WAKEUP_NANOS = 50_000_000L;

    /** Every thread that ever waited here: the ring's stage threads, one entry each. */
    private final CopyOnWriteArrayList<Waiter> waiters = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Waiter> own = ThreadLocal.withInitial(this::register);

    /** One stage thread's announcement of what it waits for; written by that thread only. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        Sequence dependent;
        SequenceBarrier barrier;
        long wanted;
        /** Set (after the fields above) while the thread may park; the signaller reads it first. */
        volatile boolean waiting;
    }

    private Waiter register() {
        Waiter w = new Waiter();
        waiters.add(w);
        return w;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        Waiter w = own.get();
        w.dependent = dependentSequence;
        w.barrier = barrier;
        w.wanted = sequence;
        w.waiting = true;
        try {
            VarHandle.fullFence();
            while ((available = dependentSequence.get()) < sequence) {
                barrier.checkAlert();
                LockSupport.parkNanos(this, SAFETY_WAKEUP_NANOS);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            w.waiting = false;
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        VarHandle.fullFence();
        for (Waiter w : waiters) {
            if (w.waiting && (w.dependent.get() >= w.wanted || w.barrier.isAlerted())) {
                LockSupport.unpark(w.thread);
            }
        }
    }
}
