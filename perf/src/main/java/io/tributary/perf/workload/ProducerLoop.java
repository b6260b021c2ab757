package io.tributary.perf.workload;

import io.tributary.perf.latency.LatencyRecorder;
import io.tributary.perf.latency.NanoClock;
import io.tributary.perf.latency.SendSchedule;
import io.tributary.perf.transport.ProducerDriver;
import io.tributary.perf.transport.SendSlot;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * One producer thread's open loop: for send i, wait for its due time on the
 * {@link SendSchedule}, take a free {@link SendSlot}, stamp it, send. Completions (on the
 * transport's threads) record into the {@link LatencyRecorder} and return the slot.
 *
 * <p>The slot pool bounds the records in flight; when it is empty the loop waits, and since the
 * due time is fixed, that wait is counted in the latency of the records it delays.
 *
 * <p>With a {@linkplain Builder#transactionNs transaction duration} every send goes inside a
 * transaction: the first send opens one, and the first send at or after {@code duration} since it
 * opened commits it first (on this thread, so a slow commit delays the sends behind it, and paced
 * sends count that delay); the last one is committed at the end. Each commit's time, from the call to
 * its return, goes to the {@linkplain Builder#commits commit recorder} (due = sent = the call).
 */
public final class ProducerLoop implements Runnable {

    private final ProducerDriver driver;
    private final SendSchedule schedule;
    private final NanoClock clock;
    private final Idler idler;
    private final LatencyRecorder recorder;
    private final KeyDistribution.Chooser keys;
    private final Payload payload;
    private final boolean stamp;
    private final long maxRecords;
    private final long startNs;
    private final long endNs;
    private final LongAdder sent;
    private final long transactionNs;
    private final LatencyRecorder commits;
    private final BlockingQueue<SendSlot> free;
    private volatile boolean stopRequested;
    private volatile Throwable failure;

    private ProducerLoop(Builder b) {
        this.driver = b.driver;
        this.schedule = b.schedule;
        this.clock = b.clock;
        this.idler = b.idler;
        this.recorder = b.recorder;
        this.keys = b.keys;
        this.payload = b.payload;
        this.stamp = b.stamp;
        this.maxRecords = b.maxRecords;
        this.startNs = b.startNs;
        this.endNs = b.endNs;
        this.sent = b.sent;
        this.transactionNs = b.transactionNs;
        this.commits = b.commits;
        this.free = new ArrayBlockingQueue<>(b.maxInFlight);
        for (int i = 0; i < b.maxInFlight; i++) {
            free.add(driver.newSlot(this::onComplete));
        }
    }

    /** A builder; every setter is required unless it says otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void run() {
        boolean inTransaction = false;
        long openedNs = 0;
        try {
            for (long i = 0; i < maxRecords && !stopRequested; i++) {
                long due;
                if (schedule.isPaced()) {
                    due = schedule.dueTime(startNs, i);
                    if (due >= endNs) {
                        break;
                    }
                    idler.waitUntil(due);
                } else {
                    due = clock.nanoTime();
                    if (due >= endNs) {
                        break;
                    }
                }
                if (transactionNs > 0) {
                    if (inTransaction && clock.nanoTime() - openedNs >= transactionNs) {
                        commit();
                        inTransaction = false;
                    }
                    if (!inTransaction) {
                        driver.beginTransaction();
                        openedNs = clock.nanoTime();
                        inTransaction = true;
                    }
                }
                SendSlot slot = free.take();
                slot.dueNs = due;
                slot.sentNs = clock.nanoTime();
                slot.bytes = payload.bytes().length;
                if (stamp) {
                    payload.stamp(due, slot.sentNs);
                }
                driver.send(keys.next(), payload.bytes(), slot);
                sent.increment();
            }
            if (inTransaction) {
                commit();
            }
            driver.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        }
    }

    private void commit() {
        long t0 = clock.nanoTime();
        driver.commitTransaction();
        commits.record(t0, t0, clock.nanoTime(), 0);
    }

    private void onComplete(SendSlot slot, Exception error) {
        if (error != null) {
            recorder.recordError();
        } else {
            recorder.record(slot.dueNs, slot.sentNs, clock.nanoTime(), slot.bytes);
        }
        free.offer(slot);
    }

    /** Asks the loop to stop after the current send. */
    public void stop() {
        stopRequested = true;
    }

    /** What ended the loop abnormally, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Builder of a {@link ProducerLoop}. */
    public static final class Builder {
        private ProducerDriver driver;
        private SendSchedule schedule;
        private NanoClock clock = NanoClock.SYSTEM;
        private Idler idler;
        private LatencyRecorder recorder;
        private KeyDistribution.Chooser keys;
        private Payload payload;
        private boolean stamp;
        private long maxRecords = Long.MAX_VALUE;
        private long startNs;
        private long endNs = Long.MAX_VALUE;
        private LongAdder sent = new LongAdder();
        private int maxInFlight = 16_384;
        private long transactionNs;
        private LatencyRecorder commits;

        /** The producer to send with. */
        public Builder driver(ProducerDriver v) {
            driver = v;
            return this;
        }

        /** When each send is due. */
        public Builder schedule(SendSchedule v) {
            schedule = v;
            return this;
        }

        /** The clock (default: system); the idler defaults to parking on it. */
        public Builder clock(NanoClock v) {
            clock = v;
            return this;
        }

        /** How to wait for a due time (default: {@link Idler#parking}). */
        public Builder idler(Idler v) {
            idler = v;
            return this;
        }

        /** Where completions are recorded. */
        public Builder recorder(LatencyRecorder v) {
            recorder = v;
            return this;
        }

        /** Keys of the records. */
        public Builder keys(KeyDistribution.Chooser v) {
            keys = v;
            return this;
        }

        /** Value of the records. */
        public Builder payload(Payload v) {
            payload = v;
            return this;
        }

        /** Whether to stamp due/sent times into the payload (end-to-end runs; optional). */
        public Builder stamp(boolean v) {
            stamp = v;
            return this;
        }

        /** Most records this loop sends (optional, default unlimited). */
        public Builder maxRecords(long v) {
            maxRecords = v;
            return this;
        }

        /** Start of the schedule (nanoTime). */
        public Builder startNs(long v) {
            startNs = v;
            return this;
        }

        /** No send is due at or after this (optional, default never). */
        public Builder endNs(long v) {
            endNs = v;
            return this;
        }

        /** Counter of sends, shared with the progress line (optional). */
        public Builder sent(LongAdder v) {
            sent = v;
            return this;
        }

        /** Most records in flight (optional, default 16384). */
        public Builder maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        /**
         * Sends in transactions of about this long (optional, default 0: no transactions); the
         * driver must have been made with a transactional id, and {@link #commits} is required.
         */
        public Builder transactionNs(long v) {
            transactionNs = v;
            return this;
        }

        /** Where each commit's duration is recorded (with {@link #transactionNs}). */
        public Builder commits(LatencyRecorder v) {
            commits = v;
            return this;
        }

        /** The loop, ready to run on its own thread. */
        public ProducerLoop build() {
            if (driver == null || schedule == null || recorder == null || keys == null || payload == null) {
                throw new IllegalStateException("driver, schedule, recorder, keys and payload are required");
            }
            if (transactionNs > 0 && commits == null) {
                throw new IllegalStateException("a transactional loop needs a commit recorder");
            }
            if (idler == null) {
                idler = Idler.parking(clock);
            }
            if (stamp && payload.bytes().length < Payload.STAMPED_MIN_SIZE) {
                throw new IllegalArgumentException("end-to-end records need at least "
                        + Payload.STAMPED_MIN_SIZE + " bytes");
            }
            return new ProducerLoop(this);
        }
    }
}
