package io.tributary.log.internal;

import java.util.concurrent.TimeUnit;

/**
 * Holds the cleaner threads together to {@code log.cleaner.io.max.bytes.per.second}: each reports
 * the bytes it read or wrote, and whoever finds the rate over the limit sleeps until it is back
 * under it. Measured over windows of {@value #WINDOW_MS} ms. Thread-safe.
 *
 * <p>Also where a clean notices that the cleaner is stopping: {@link #acquire} then throws
 * {@link InterruptedException}. Cleaner threads are never interrupted for real, because an
 * interrupt during a {@code FileChannel} read closes the channel, which the partition's readers
 * and writer share.
 */
final class Throttler {
    private static final long WINDOW_MS = 300;

    private final double bytesPerSecond;
    private long windowStartNanos = System.nanoTime();
    private double bytesInWindow;
    private volatile boolean stopped;

    Throttler(double bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Counts {@code bytes} and sleeps if the rate is over the limit. */
    void acquire(long bytes) throws InterruptedException {
        if (stopped) {
            throw new InterruptedException("The log cleaner is stopping");
        }
        if (bytesPerSecond == Double.MAX_VALUE) {
            return;
        }
        long sleepMs;
        synchronized (this) {
            bytesInWindow += bytes;
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - windowStartNanos);
            if (elapsedMs < WINDOW_MS) {
                return;
            }
            double wantedMs = bytesInWindow * 1000 / bytesPerSecond;
            sleepMs = (long) (wantedMs - elapsedMs);
            windowStartNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, sleepMs));
            bytesInWindow = 0;
        }
        if (sleepMs > 0) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sleepMs);
            synchronized (this) {
                for (long left = sleepMs; left > 0 && !stopped;
                     left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
                    wait(left);
                }
            }
            if (stopped) {
                throw new InterruptedException("The log cleaner is stopping");
            }
        }
    }

    /** Makes every current and later {@link #acquire} throw {@link InterruptedException}. */
    void stop() {
        stopped = true;
        synchronized (this) {
            notifyAll();
        }
    }
}
