package io.tributary.delivery.group;

import java.util.PriorityQueue;

/** A {@link GroupScheduler} whose clock moves only when a test calls {@link #advance}; tasks run on the test thread. */
final class ManualScheduler implements GroupScheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_700_000_000_000L;
    private long sequence;

    @Override
    public synchronized long nowMs() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayMs, Runnable runnable) {
        Task task = new Task(now + Math.max(0, delayMs), sequence++, runnable);
        tasks.add(task);
        return () -> task.cancelled = true;
    }

    /** Moves the clock forward by {@code ms}, running every task that falls due, in time order. */
    void advance(long ms) {
        long target;
        synchronized (this) {
            target = now + ms;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.due;
            }
            if (!next.cancelled) {
                next.runnable.run();
            }
        }
    }

    @Override
    public void close() {
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long seq;
        final Runnable runnable;
        volatile boolean cancelled;

        Task(long due, long seq, Runnable runnable) {
            this.due = due;
            this.seq = seq;
            this.runnable = runnable;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }
    }
}
