package io.tributary.perf.workload;

import io.tributary.perf.transport.ConsumerDriver;
import io.tributary.perf.transport.RecordHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One consumer thread: open the driver, wait for its partitions, count down {@code ready}, then
 * poll and hand every record to the handler until {@code finished} says so or nothing has arrived
 * for the idle timeout. Remembers when its first and last non-empty polls returned.
 */
public final class ConsumerLoop implements Runnable {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(60);

    private final Supplier<ConsumerDriver> open;
    private final RecordHandler handler;
    private final BooleanSupplier finished;
    private final long idleNs;
    private final CountDownLatch ready;
    private volatile long firstNs = Long.MAX_VALUE;
    private volatile long lastNs = Long.MIN_VALUE;
    private volatile Throwable failure;

    /**
     * A loop over the consumer {@code open} makes; {@code idle} of zero means no idle stop;
     * {@code ready} is counted down once, when the partitions are assigned or the loop fails.
     */
    public ConsumerLoop(Supplier<ConsumerDriver> open, RecordHandler handler, BooleanSupplier finished,
                        Duration idle, CountDownLatch ready) {
        this.open = open;
        this.handler = handler;
        this.finished = finished;
        this.idleNs = idle.toNanos();
        this.ready = ready;
    }

    @Override
    public void run() {
        boolean counted = false;
        try (ConsumerDriver c = open.get()) {
            if (!c.awaitAssignment(ASSIGNMENT_TIMEOUT)) {
                throw new IllegalStateException("no partitions assigned within " + ASSIGNMENT_TIMEOUT);
            }
            ready.countDown();
            counted = true;
            long lastSeen = System.nanoTime();
            while (!finished.getAsBoolean()) {
                int got = c.poll(POLL, handler);
                long now = System.nanoTime();
                if (got > 0) {
                    if (firstNs == Long.MAX_VALUE) {
                        firstNs = now;
                    }
                    lastNs = now;
                    lastSeen = now;
                } else if (idleNs > 0 && now - lastSeen > idleNs) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            if (!counted) {
                ready.countDown();
            }
        }
    }

    /** When the first non-empty poll returned, or {@code Long.MAX_VALUE} if none did. */
    public long firstRecordNs() {
        return firstNs;
    }

    /** When the last non-empty poll returned, or {@code Long.MIN_VALUE} if none did. */
    public long lastRecordNs() {
        return lastNs;
    }

    /** What ended the loop abnormally, or null. */
    public Throwable failure() {
        return failure;
    }

    /** The failure of the first of {@code loops} that failed, or null. */
    public static Throwable firstFailure(List<ConsumerLoop> loops) {
        for (ConsumerLoop l : loops) {
            if (l.failure() != null) {
                return l.failure();
            }
        }
        return null;
    }
}
