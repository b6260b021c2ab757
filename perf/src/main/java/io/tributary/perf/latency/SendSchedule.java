package io.tributary.perf.latency;

/**
 * When the i-th send of one producer is due: the open-loop schedule that latency is measured
 * against.
 *
 * <p>At a fixed rate the i-th send is due at {@code start + offset + i * interval}, whatever
 * happened before it: a sender that stalls falls behind the schedule and the records it owes are
 * sent late, each measured from its own due time. That is the coordinated-omission correction —
 * the time a record waited for its sender to come back counts, as a user of the system would
 * see it. The due time is computed from {@code i} each time (never by adding intervals up), so
 * rounding does not drift over millions of sends.
 *
 * <p>{@link #unthrottled()} has no schedule: every send is due "now", and latency is measured
 * from the actual send (as Kafka's ProducerPerformance does at {@code --throughput -1}).
 */
public final class SendSchedule {

    private final double intervalNs;
    private final long offsetNs;

    private SendSchedule(double intervalNs, long offsetNs) {
        this.intervalNs = intervalNs;
        this.offsetNs = offsetNs;
    }

    /**
     * A schedule of {@code ratePerSecond} sends per second, shifted by {@code offsetNs} so that
     * several producers sharing a rate interleave instead of sending in lock step.
     */
    public static SendSchedule fixedRate(double ratePerSecond, long offsetNs) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be positive and finite: " + ratePerSecond);
        }
        return new SendSchedule(1e9 / ratePerSecond, offsetNs);
    }

    /**
     * The schedule of producer {@code index} of {@code count} sharing {@code totalRate} sends per
     * second: each gets {@code totalRate / count}, offset by {@code index / totalRate} seconds.
     */
    public static SendSchedule share(double totalRate, int index, int count) {
        if (count <= 0 || index < 0 || index >= count) {
            throw new IllegalArgumentException("producer " + index + " of " + count);
        }
        return fixedRate(totalRate / count, (long) (index * 1e9 / totalRate));
    }

    /** No schedule: send as fast as possible; latency counts from the actual send. */
    public static SendSchedule unthrottled() {
        return new SendSchedule(0, 0);
    }

    /** Whether sends are paced (true) or as fast as possible (false). */
    public boolean isPaced() {
        return intervalNs > 0;
    }

    /** The nanoseconds between two sends of this schedule; 0 when unthrottled. */
    public double intervalNs() {
        return intervalNs;
    }

    /**
     * The due time of send number {@code index} (from 0) of a run that started at
     * {@code startNs}; for an unthrottled schedule, {@code startNs} itself.
     */
    public long dueTime(long startNs, long index) {
        if (intervalNs == 0) {
            return startNs;
        }
        return startNs + offsetNs + (long) (index * intervalNs);
    }

    /**
     * How many sends are due by {@code nowNs} in a run started at {@code startNs}: the index of
     * the first send not yet due. A sender that has done fewer is behind schedule.
     */
    public long dueBy(long startNs, long nowNs) {
        if (intervalNs == 0) {
            return Long.MAX_VALUE;
        }
        long elapsed = nowNs - startNs - offsetNs;
        if (elapsed < 0) {
            return 0;
        }
        long n = (long) Math.floor(elapsed / intervalNs) + 1;
        // floating-point rounding may put the estimate one off the exact dueTime() boundary
        while (n > 0 && dueTime(startNs, n - 1) > nowNs) {
            n--;
        }
        while (dueTime(startNs, n) <= nowNs) {
            n++;
        }
        return n;
    }
}
