package io.tributary.kafka.network;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of WARN line that a hostile or broken client could repeat without end (bad frames,
 * refused connections): the first line of each interval is written, the rest counted, and the next
 * line written says how many were left out, so 200,000 bad frames cost a few lines, not 20,000.
 * Any thread; a line may rarely be lost to a race between threads, never duplicated.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Logs {@code format} with {@code args} at WARN, unless a line of this kind went out less than an interval ago. */
    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        long next = nextAt.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextAt.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        if (left > 0) {
            log.warn(format + " (and {} more like this since the last such line)", append(args, left));
        } else {
            log.warn(format, args);
        }
    }

    /** Lines left out since the last written one. */
    public long suppressed() {
        return suppressed.get();
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }
}
