package io.tributary.delivery.group;

/**
 * The coordinator's clock and timers. Production uses {@link #system()}: one daemon thread for every
 * timer of every group. Tests inject a manual implementation to move time by hand.
 */
public interface GroupScheduler extends AutoCloseable {

    /** Current time in milliseconds since the epoch. */
    long nowMs();

    /** Runs {@code task} once, no earlier than {@code delayMs} from now, on the timer thread. */
    Cancellable schedule(long delayMs, Runnable task);

    /** Stops the timer thread; pending tasks are dropped. */
    @Override
    void close();

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Prevents the task from running if it has not started. */
        void cancel();
    }

    /** A scheduler over the system clock with one daemon timer thread. */
    static GroupScheduler system() {
        return new SystemGroupScheduler();
    }
}
