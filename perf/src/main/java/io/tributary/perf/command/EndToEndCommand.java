package io.tributary.perf.command;

import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import io.tributary.perf.latency.IntervalLog;
import io.tributary.perf.latency.LatencyRecorder;
import io.tributary.perf.latency.PercentileSummary;
import io.tributary.perf.transport.ConsumerSettings;
import io.tributary.perf.transport.RecordHandler;
import io.tributary.perf.transport.Transport;
import io.tributary.perf.transport.Transports;
import io.tributary.perf.workload.CommonOptions;
import io.tributary.perf.workload.ConsumerLoop;
import io.tributary.perf.workload.Payload;
import io.tributary.perf.workload.RunMonitor;
import io.tributary.perf.workload.RunOutput;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code e2e}: end-to-end latency, send → delivered to a consumer in the same JVM. Consumers take
 * their partitions first (positioned at the end), then producers send at a fixed rate with the
 * due and sent times stamped into each value ({@link Payload}); each delivery records
 * "now − due". The send → ack latency of the same run is reported beside it.
 */
public final class EndToEndCommand implements Command {

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public String summary() {
        return "end-to-end latency: send -> delivered to a consumer, at a fixed rate";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf e2e [options]

                Starts --consumers consumers at the end of the topic, then sends at a fixed --rate
                (open loop) with the due time stamped in each value (records of at least 16 bytes).
                Latency = delivery time minus due time, corrected for coordinated omission; the
                send -> ack figures of the same run are printed beside (LABEL-ack.properties).""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>(CommonOptions.connection("e2e"));
        l.addAll(CommonOptions.producer("0", "30s", "10000", "5s", "1024"));
        l.add(OptionSpec.value("consumers", "N", "1", "consumer clients (threads); partitions split by hand"));
        l.add(OptionSpec.value("group", "ID", null, "join this consumer group instead of assigning by hand"));
        l.add(OptionSpec.value("drain-timeout", "DURATION", "30s", "how long to wait for the last deliveries"));
        l.add(OptionSpec.repeated("consumer-prop", "K=V", "extra consumer property"));
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String topic = CommonOptions.topic(o, name());
        RunOutput output = new RunOutput(CommonOptions.outDir(o), o.required("label"));
        int n = o.intValue("consumers");
        LatencyRecorder delivered = new LatencyRecorder();
        LatencyRecorder acked = new LatencyRecorder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(n);
        List<Thread> consumers = new ArrayList<>();
        List<ConsumerLoop> loops = new ArrayList<>();
        RecordHandler measure = v -> {
            if (v == null || v.length < Payload.STAMPED_MIN_SIZE) {
                delivered.recordError();
            } else {
                delivered.record(Payload.dueNs(v), Payload.sentNs(v), System.nanoTime(), v.length);
            }
        };
        try (Transport transport = Transports.byName(o.required("transport"))
                .open(o.required("bootstrap"), CommonOptions.transportProps(o))) {
            if (!o.flag("no-create")) {
                transport.ensureTopic(topic, o.intValue("partitions"), Duration.ofSeconds(60));
            }
            for (int i = 0; i < n; i++) {
                ConsumerSettings s = new ConsumerSettings(topic, o.get("group"), i, n,
                        ConsumerSettings.StartPosition.LATEST, o.keyValues("consumer-prop"));
                ConsumerLoop loop = new ConsumerLoop(() -> transport.consumer(s), measure, stop::get,
                        Duration.ZERO, ready);
                loops.add(loop);
                Thread t = new Thread(loop, "perf-consumer-" + i);
                consumers.add(t);
                t.start();
            }
            ready.await();
            if (ConsumerLoop.firstFailure(loops) != null) {
                stop.set(true);
                err.println("e2e: a consumer failed: " + ConsumerLoop.firstFailure(loops));
                return 1;
            }
            err.printf("e2e: topic %s on %s, %d consumers ready%n", topic, o.required("bootstrap"), n);
            IntervalLog log;
            try (ProducerFleet fleet = new ProducerFleet(transport, o, topic)) {
                long startNs = System.nanoTime() + 10_000_000L;
                long epochMs = System.currentTimeMillis() + 10;
                long measureFrom = startNs + o.duration("warmup").toNanos();
                delivered.measureFrom(measureFrom);
                acked.measureFrom(measureFrom);
                fleet.prepare(o, startNs, acked, true);
                log = new IntervalLog(delivered, output.openHlog(), startNs, epochMs);
                fleet.start();
                long drainNs = o.duration("drain-timeout").toNanos();
                long[] drainDeadline = {Long.MAX_VALUE};
                new RunMonitor(log, fleet.sent()::sum, RunMonitor.completions(delivered), delivered::errors, err,
                        o.duration("hlog-interval"), o.duration("progress-interval"), startNs)
                        .monitorWhile(() -> {
                            if (fleet.running()) {
                                return true;
                            }
                            if (drainDeadline[0] == Long.MAX_VALUE) {
                                drainDeadline[0] = System.nanoTime() + drainNs;
                            }
                            long got = delivered.measuredRecords() + delivered.warmupRecords();
                            long sentOk = acked.measuredRecords() + acked.warmupRecords();
                            return got < sentOk && System.nanoTime() < drainDeadline[0]
                                    && ConsumerLoop.firstFailure(loops) == null;
                        });
                stop.set(true);
                Throwable failure = fleet.join();
                for (Thread t : consumers) {
                    t.join();
                }
                if (failure == null) {
                    failure = ConsumerLoop.firstFailure(loops);
                }
                if (failure != null) {
                    err.println("e2e: failed: " + failure);
                    log.close();
                    return 1;
                }
                log.sample(System.nanoTime());
            }
            PercentileSummary e2e = ProduceCommand.summarize(output.label(), delivered, log, delivered.measureFromNs());
            output.write(e2e, log, out);
            output.writeSecondary("ack", new PercentileSummary(output.label() + " send->ack",
                    acked.measuredRecords(), acked.measuredBytes(),
                    (acked.lastDoneNs() - acked.measureFromNs()) / 1e9, acked.warmupRecords(), acked.errors(),
                    ackHistogram(acked)), out);
            log.close();
            long lost = acked.measuredRecords() + acked.warmupRecords()
                    - delivered.measuredRecords() - delivered.warmupRecords();
            if (lost != 0) {
                err.printf("e2e: %d acknowledged records were not delivered in time%n", lost);
                return 1;
            }
        }
        return 0;
    }

    private static org.HdrHistogram.Histogram ackHistogram(LatencyRecorder acked) {
        return acked.takeInterval(null, null).corrected();
    }
}
