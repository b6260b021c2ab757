package io.tributary.jms;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread per connection, started at first use, for work a consumer must do while its application is not
 * calling it: sending the acknowledgements a queue receiver held back to batch them ({@link ShareReader}). Tasks run
 * one at a time and must not block: a task that needs a consumer's lock tries it and comes back later.
 */
final class ConnectionTimer {
    private final String name;
    private ScheduledExecutorService executor;
    private boolean closed;

    ConnectionTimer(String connectionId) {
        this.name = "tributary-jms-timer-" + connectionId;
    }

    /** Runs {@code task} in {@code delayMs}; {@code false} (and never runs it) once the connection is closed. */
    synchronized boolean schedule(Runnable task, long delayMs) {
        if (closed) {
            return false;
        }
        if (executor == null) {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            executor = e;
        }
        try {
            executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Drops the tasks not yet run (the consumers are closed by then and sent what they held) and ends the thread. */
    synchronized void close() {
        closed = true;
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
