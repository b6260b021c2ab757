package io.tributary.security.quota;

/**
 * A rate measured as Kafka's quota sensors measure it: the sum of what was recorded over the last
 * {@code samples} windows of {@code windowMs} each, divided by the time they span. A window starts
 * with the first record after the previous one ends; a window older than all {@code samples} of
 * them together is forgotten. While fewer than {@code samples - 1} whole windows have passed, the
 * span counts as that many, so a new client is not measured over a few milliseconds — and so may
 * burst up to about {@code (samples - 1) × windowMs} worth of its quota before it is throttled, as in
 * Kafka.
 *
 * <p>Thread-safe: the connections of one user may record from different event loops.
 */
final class SampledRate {
    private final int samples;
    private final long windowMs;
    private final long[] starts;
    private final double[] values;
    private int current = -1;
    private volatile long lastRecordMs;

    SampledRate(int samples, long windowMs) {
        this.samples = samples;
        this.windowMs = windowMs;
        this.starts = new long[samples];
        this.values = new double[samples];
    }

    /** Adds {@code value} at {@code nowMs} and returns the rate (per second) including it. */
    synchronized double record(double value, long nowMs) {
        forgetOld(nowMs);
        if (current < 0 || nowMs >= starts[current] + windowMs) {
            current = (current + 1) % samples;
            starts[current] = nowMs;
            values[current] = 0;
        }
        values[current] += value;
        lastRecordMs = nowMs;
        return rate(nowMs);
    }

    /** Takes back a value recorded at about {@code nowMs} (an answer that did not carry what was counted). */
    synchronized void unrecord(double value, long nowMs) {
        if (current >= 0) {
            values[current] -= value;
        }
    }

    /** The rate per second over the windows still remembered. */
    synchronized double rate(long nowMs) {
        forgetOld(nowMs);
        double total = 0;
        for (int i = 0; i < samples; i++) {
            total += values[i];
        }
        return total * 1000.0 / spanMs(nowMs);
    }

    /** The time the remembered windows span, with {@code samples - 1} whole windows counted
     * however few have passed. */
    synchronized long spanMs(long nowMs) {
        long oldest = nowMs;
        for (int i = 0; i < samples; i++) {
            if (values[i] != 0 || i == current) {
                oldest = Math.min(oldest, starts[i]);
            }
        }
        long elapsed = nowMs - oldest;
        long wholeWindows = elapsed / windowMs;
        if (wholeWindows < samples - 1) {
            elapsed += (samples - 1 - wholeWindows) * windowMs;
        }
        return Math.max(elapsed, 1);
    }

    long lastRecordMs() {
        return lastRecordMs;
    }

    private void forgetOld(long nowMs) {
        for (int i = 0; i < samples; i++) {
            if (current >= 0 && nowMs - starts[i] >= samples * windowMs) {
                values[i] = 0;
                if (i == current) {
                    current = -1;
                }
            }
        }
    }
}
