package io.tributary.perf.workload;

import io.tributary.perf.latency.NanoClock;

/** A clock that moves only when told; its idler jumps straight to the deadline. */
final class FakeClock implements NanoClock {

    private long now;

    @Override
    public long nanoTime() {
        return now;
    }

    void advance(long nanos) {
        now += nanos;
    }

    Idler idler() {
        return deadline -> now = Math.max(now, deadline);
    }
}
