package io.tributary.delivery.group;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link GroupScheduler} on the system clock with a single daemon timer thread. */
final class SystemGroupScheduler implements GroupScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SystemGroupScheduler.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tributary-group-timer");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public long nowMs() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("group timer task failed", e);
            }
        }, Math.max(0L, delayMs), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
