package io.tributary.kafka.network;

import org.slf4j.Logger;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WARN lines that a hostile or broken client could repeat without end (bad frames, refused
 * connections, failed handshakes), limited per kind: the first line of a kind in each interval is
 * written, the rest of that kind counted, and the next line of it written says how many were left
 * out — so 200,000 bad frames cost a few lines, not 20,000, while a different problem still shows at
 * once. A kind is the line with its numbers blanked ({@link #kindOf}); past {@value #MAX_KINDS}
 * kinds, the rest share one. Any thread; under a race a line may rarely be counted instead of
 * written, never written twice.
 *
 * <p>One instance per listener, handed to its {@link ConnectionLimiter}, {@link FrameDecoder}s and
 * {@link ConnectionHandler}s: each listener (and each broker in one JVM) has its own budget, so a
 * flood on one does not hide the first line of a problem on another. The callers keep their kinds
 * apart and write under their own loggers.
 */
public final class RateLimitedLog {
    static final int MAX_KINDS = 1000;

    private final long intervalNanos;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private final Kind other = new Kind();

    public RateLimitedLog(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Logs to {@code log} at WARN unless a line of the same kind ({@code kind}) went out less than an interval ago. */
    public void warn(Logger log, String kind, String format, Object... args) {
        Kind k = kinds.get(kind);
        if (k == null) {
            k = kinds.size() < MAX_KINDS ? kinds.computeIfAbsent(kind, x -> new Kind()) : other;
        }
        long now = System.nanoTime();
        long next = k.nextAt.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !k.nextAt.compareAndSet(next, now + intervalNanos)) {
            k.suppressed.incrementAndGet();
            return;
        }
        long left = k.suppressed.getAndSet(0);
        if (left > 0) {
            Object[] all = Arrays.copyOf(args, args.length + 1);
            all[args.length] = left;
            log.warn(format + " (and {} more like this since the last such line)", all);
        } else {
            log.warn(format, args);
        }
    }

    /** {@code text} with every run of digits replaced by {@code #}: the kind of a closing reason. */
    public static String kindOf(String text) {
        return text.replaceAll("\\d+", "#");
    }

    private static final class Kind {
        final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }
}
