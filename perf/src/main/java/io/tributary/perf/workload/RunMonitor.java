package io.tributary.perf.workload;

import io.tributary.perf.latency.IntervalLog;
import io.tributary.perf.latency.LatencyRecorder;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The main thread's job during a run: every {@code hlog-interval} take an interval histogram
 * (into the {@code .hlog} and the totals), every {@code progress-interval} print a
 * {@link ProgressLine}, until the run says it is over.
 */
public final class RunMonitor {

    private final IntervalLog log;
    private final LongSupplier sent;
    private final LongSupplier done;
    private final LongSupplier errors;
    private final ProgressLine progress;
    private final long tickNs;
    private final long progressNs;
    private final long startNs;

    /**
     * Monitors a run that started at {@code startNs}: {@code sent}, {@code done} and
     * {@code errors} count the sends, completions (or deliveries) and failures so far.
     */
    public RunMonitor(IntervalLog log, LongSupplier sent, LongSupplier done, LongSupplier errors,
                      PrintStream err, Duration tick, Duration progressEvery, long startNs) {
        this.log = log;
        this.sent = sent;
        this.done = done;
        this.errors = errors;
        this.progress = new ProgressLine(err, startNs);
        this.tickNs = Math.max(1_000_000L, tick.toNanos());
        this.progressNs = Math.max(tickNs, progressEvery.toNanos());
        this.startNs = startNs;
    }

    /** Samples and reports while {@code running} is true, then takes a last sample. */
    public void monitorWhile(BooleanSupplier running) throws InterruptedException {
        long nextTick = startNs + tickNs;
        long nextProgress = startNs + progressNs;
        while (running.getAsBoolean()) {
            long now = System.nanoTime();
            if (now < nextTick) {
                Thread.sleep(Math.min(50, Math.max(1, (nextTick - now) / 1_000_000)));
                continue;
            }
            progress.add(log.sample(now));
            nextTick += tickNs;
            if (now >= nextProgress) {
                progress.print(now, startNs, sent.getAsLong(), done.getAsLong(), errors.getAsLong());
                nextProgress += progressNs;
            }
        }
        progress.add(log.sample(System.nanoTime()));
    }

    /** The usual {@code done} counter: every completion the recorder saw, warm-up included. */
    public static LongSupplier completions(LatencyRecorder recorder) {
        return () -> recorder.measuredRecords() + recorder.warmupRecords();
    }
}
