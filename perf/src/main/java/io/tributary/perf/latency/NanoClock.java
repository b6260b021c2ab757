package io.tributary.perf.latency;

/** A monotonic nanosecond clock; tests substitute a fake one to script stalls. */
@FunctionalInterface
public interface NanoClock {

    /** The system clock, {@link System#nanoTime()}. */
    NanoClock SYSTEM = System::nanoTime;

    /** Returns the current time in nanoseconds from an arbitrary, fixed origin. */
    long nanoTime();
}
