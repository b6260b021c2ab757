package io.tributary.perf.workload;

import io.tributary.perf.latency.NanoClock;
import java.util.concurrent.locks.LockSupport;

/** Waits for a point in time; tests substitute one that moves a fake clock instead. */
@FunctionalInterface
public interface Idler {

    /** Returns at or after {@code deadlineNs} (at once if it has passed). */
    void waitUntil(long deadlineNs);

    /**
     * Parks on {@code clock} until the deadline. Lateness (the OS timer's slack, tens of µs) is
     * not hidden: it shows up as latency, since latency is measured from the due time.
     */
    static Idler parking(NanoClock clock) {
        return deadlineNs -> {
            long remaining;
            while ((remaining = deadlineNs - clock.nanoTime()) > 0) {
                LockSupport.parkNanos(remaining);
            }
        };
    }
}
