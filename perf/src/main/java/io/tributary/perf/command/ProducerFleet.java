package io.tributary.perf.command;

import io.tributary.perf.cli.Options;
import io.tributary.perf.latency.LatencyRecorder;
import io.tributary.perf.latency.SendSchedule;
import io.tributary.perf.transport.ProducerDriver;
import io.tributary.perf.transport.ProducerSettings;
import io.tributary.perf.transport.Transport;
import io.tributary.perf.workload.CommonOptions;
import io.tributary.perf.workload.KeyDistribution;
import io.tributary.perf.workload.Payload;
import io.tributary.perf.workload.ProducerLoop;
import io.tributary.perf.workload.Transactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The producers of one run, built from the producer options: {@code --producers} clients on their
 * own threads, sharing {@code --rate} and {@code --records}, all on one schedule start; each with its
 * own transactional id when the run is {@link Transactions transactional}.
 */
final class ProducerFleet implements AutoCloseable {

    private final List<ProducerDriver> drivers = new ArrayList<>();
    private final List<ProducerLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder sent = new LongAdder();
    private final Transactions transactions;

    /** Connects the producers (before the clock starts, so client start-up is not measured). */
    ProducerFleet(Transport transport, Options o, String topic) {
        this(transport, o, topic, Transactions.NONE);
    }

    /**
     * Connects producers that send in {@code transactions} (their {@code initTransactions} too is
     * before the clock starts).
     */
    ProducerFleet(Transport transport, Options o, String topic, Transactions transactions) {
        this.transactions = transactions;
        ProducerSettings settings = CommonOptions.producerSettings(o, topic);
        int n = o.intValue("producers");
        if (n < 1) {
            throw new io.tributary.perf.cli.UsageException("--producers must be >= 1");
        }
        for (int i = 0; i < n; i++) {
            drivers.add(transport.producer(transactions.enabled()
                    ? settings.withTransactionalId(transactions.idOf(i, n)) : settings));
        }
    }

    /** Builds the loops for a run starting at {@code startNs}, recording into {@code recorder}. */
    void prepare(Options o, long startNs, LatencyRecorder recorder, boolean stamp) {
        prepare(o, startNs, recorder, stamp, null);
    }

    /** As above; a transactional fleet records each commit's duration into {@code commits}. */
    void prepare(Options o, long startNs, LatencyRecorder recorder, boolean stamp, LatencyRecorder commits) {
        int n = drivers.size();
        long records = o.longValue("records");
        Duration duration = CommonOptions.optionalDuration(o, "duration");
        if (records <= 0 && duration == null) {
            throw new io.tributary.perf.cli.UsageException("give --records or --duration (or both)");
        }
        double rate = o.doubleValue("rate");
        KeyDistribution keys = KeyDistribution.parse(o.required("keys"));
        int size = o.intValue("record-size");
        long endNs = duration == null ? Long.MAX_VALUE : startNs + duration.toNanos();
        for (int i = 0; i < n; i++) {
            long share = records <= 0 ? Long.MAX_VALUE : records / n + (i < records % n ? 1 : 0);
            loops.add(ProducerLoop.builder()
                    .driver(drivers.get(i))
                    .schedule(rate > 0 ? SendSchedule.share(rate, i, n) : SendSchedule.unthrottled())
                    .recorder(recorder)
                    .keys(keys.newChooser(31L * i + 7))
                    .payload(new Payload(size, 17L * i + 3))
                    .stamp(stamp)
                    .maxRecords(share)
                    .startNs(startNs)
                    .endNs(endNs)
                    .sent(sent)
                    .maxInFlight(o.intValue("max-in-flight"))
                    .transactionNs(transactions.enabled() ? transactions.every().toNanos() : 0)
                    .commits(commits)
                    .build());
        }
    }

    /** Starts one thread per loop. */
    void start() {
        for (int i = 0; i < loops.size(); i++) {
            Thread t = new Thread(loops.get(i), "perf-producer-" + i);
            threads.add(t);
            t.start();
        }
    }

    /** Whether a loop is still sending (or flushing). */
    boolean running() {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Sends so far. */
    LongAdder sent() {
        return sent;
    }

    /** Waits for the loops to end; returns the first failure, or null. */
    Throwable join() throws InterruptedException {
        Throwable first = null;
        for (int i = 0; i < threads.size(); i++) {
            threads.get(i).join();
            if (first == null) {
                first = loops.get(i).failure();
            }
        }
        return first;
    }

    /** Stops the loops early. */
    void stop() {
        loops.forEach(ProducerLoop::stop);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (ProducerDriver d : drivers) {
            try {
                d.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
