package io.tributary.perf.latency;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records the latency of each completed send (or delivery) into two HdrHistogram
 * {@link Recorder}s, safe to call from any number of threads at once (producer I/O threads,
 * consumer threads), wait-free and without allocation.
 *
 * <ul>
 *   <li><b>corrected</b>: completion minus the <em>due</em> time from the {@link SendSchedule} —
 *       what a user of the system would see; includes time lost while the sender was stalled
 *       (coordinated omission corrected).</li>
 *   <li><b>uncorrected</b>: completion minus the actual send — what a closed-loop tool reports.</li>
 * </ul>
 *
 * <p>Sends due before the end of the warm-up ({@link #measureFrom(long)}) are counted apart and
 * kept out of both histograms and out of the measured throughput. Values are nanoseconds;
 * negative values (clock skew between threads) are recorded as 0.
 */
public final class LatencyRecorder {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder corrected = new Recorder(SIGNIFICANT_DIGITS);
    private final Recorder uncorrected = new Recorder(SIGNIFICANT_DIGITS);
    private final LongAdder measuredRecords = new LongAdder();
    private final LongAdder measuredBytes = new LongAdder();
    private final LongAdder warmupRecords = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAccumulator lastDoneNs = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private volatile long measureFromNs;

    /** Creates a recorder that measures everything until {@link #measureFrom(long)} says otherwise. */
    public LatencyRecorder() {
        this.measureFromNs = Long.MIN_VALUE;
    }

    /** Excludes every completion whose due time is before {@code nanoTime} (the warm-up). */
    public void measureFrom(long nanoTime) {
        this.measureFromNs = nanoTime;
    }

    /** The end of the warm-up: completions due before it are not measured. */
    public long measureFromNs() {
        return measureFromNs;
    }

    /**
     * Records one completed record of {@code bytes} bytes that was due at {@code dueNs}, sent at
     * {@code sentNs} and completed at {@code doneNs}. Returns false if it fell in the warm-up.
     */
    public boolean record(long dueNs, long sentNs, long doneNs, int bytes) {
        if (dueNs < measureFromNs) {
            warmupRecords.increment();
            return false;
        }
        corrected.recordValue(Math.max(0, doneNs - dueNs));
        uncorrected.recordValue(Math.max(0, doneNs - sentNs));
        measuredRecords.increment();
        measuredBytes.add(bytes);
        lastDoneNs.accumulate(doneNs);
        return true;
    }

    /** Counts one send or delivery that failed; it is not part of any histogram. */
    public void recordError() {
        errors.increment();
    }

    /**
     * Moves what was recorded since the last call into {@code correctedInto} and
     * {@code uncorrectedInto} (each reset first; pass the histograms returned last time to recycle
     * them, or null to allocate) and returns them as a pair.
     */
    public Interval takeInterval(Histogram correctedInto, Histogram uncorrectedInto) {
        return new Interval(corrected.getIntervalHistogram(correctedInto),
                uncorrected.getIntervalHistogram(uncorrectedInto));
    }

    /** Records measured so far (after warm-up, without errors). */
    public long measuredRecords() {
        return measuredRecords.sum();
    }

    /** Payload bytes of the measured records. */
    public long measuredBytes() {
        return measuredBytes.sum();
    }

    /** The latest completion time measured, or {@code Long.MIN_VALUE} if none yet. */
    public long lastDoneNs() {
        return lastDoneNs.get();
    }

    /** Records completed during the warm-up. */
    public long warmupRecords() {
        return warmupRecords.sum();
    }

    /** Failed sends or deliveries. */
    public long errors() {
        return errors.sum();
    }

    /** The two interval histograms taken together by {@link #takeInterval}. */
    public record Interval(Histogram corrected, Histogram uncorrected) {
    }
}
