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
import io.tributary.perf.workload.RunMonitor;
import io.tributary.perf.workload.RunOutput;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code consume}: consumer throughput. {@code --consumers} clients in one new group read the
 * topic from the start until {@code --records} are read or nothing arrives for
 * {@code --idle-timeout}. Reports the rate over the whole run (group join included, as Kafka's
 * ConsumerPerformance does) and the fetch-only rate from the first record to the last.
 */
public final class ConsumeCommand implements Command {

    @Override
    public String name() {
        return "consume";
    }

    @Override
    public String summary() {
        return "consumer throughput: read a topic from the start";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf consume --topic NAME [options]

                Reads --topic from the earliest offset with --consumers clients in a new group (or,
                with --no-group, each assigned its share of the partitions by hand) until --records
                records are read or none arrives for --idle-timeout. Prints records/s and MB/s over
                the whole run (join included) and fetch-only (first record to last).""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>(CommonOptions.connection("consume"));
        l.add(OptionSpec.value("topic", "NAME", null, "topic to read (required)"));
        l.add(OptionSpec.value("records", "N", "0", "stop after N records (0 = when idle)"));
        l.add(OptionSpec.value("consumers", "N", "1", "consumer clients (threads)"));
        l.add(OptionSpec.value("group", "ID", null, "group id (default: a new perf-consume-<time>)"));
        l.add(OptionSpec.flag("no-group", "assign partitions by hand instead of joining a group"));
        l.add(OptionSpec.value("idle-timeout", "DURATION", "10s", "stop when nothing arrived this long"));
        l.add(OptionSpec.value("timeout", "DURATION", "10m", "give up after this long in all"));
        l.add(OptionSpec.repeated("consumer-prop", "K=V", "extra consumer property"));
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String topic = o.required("topic");
        int n = o.intValue("consumers");
        long want = o.longValue("records");
        Duration idle = o.duration("idle-timeout");
        String group = o.flag("no-group") ? null
                : o.get("group") != null ? o.get("group") : "perf-consume-" + System.currentTimeMillis();
        RunOutput output = new RunOutput(CommonOptions.outDir(o), o.required("label"));
        LongAdder records = new LongAdder();
        LongAdder bytes = new LongAdder();
        RecordHandler count = v -> {
            bytes.add(v == null ? 0 : v.length);
            records.increment();
        };
        List<ConsumerLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long startNs = System.nanoTime();
        long deadline = startNs + o.duration("timeout").toNanos();
        IntervalLog log = new IntervalLog(new LatencyRecorder(), null, startNs, System.currentTimeMillis());
        try (Transport transport = Transports.byName(o.required("transport"))
                .open(o.required("bootstrap"), CommonOptions.transportProps(o))) {
            for (int i = 0; i < n; i++) {
                ConsumerSettings s = new ConsumerSettings(topic, group, i, n,
                        ConsumerSettings.StartPosition.EARLIEST, o.keyValues("consumer-prop"));
                ConsumerLoop loop = new ConsumerLoop(() -> transport.consumer(s), count,
                        () -> (want > 0 && records.sum() >= want) || System.nanoTime() > deadline,
                        idle, new CountDownLatch(1));
                Thread t = new Thread(loop, "perf-consumer-" + i);
                loops.add(loop);
                threads.add(t);
                t.start();
            }
            new RunMonitor(log, records::sum, records::sum, () -> ConsumerLoop.firstFailure(loops) == null ? 0 : 1, err,
                    o.duration("hlog-interval"), o.duration("progress-interval"), startNs)
                    .monitorWhile(() -> threads.stream().anyMatch(Thread::isAlive));
            for (Thread t : threads) {
                t.join();
            }
        }
        Throwable failure = ConsumerLoop.firstFailure(loops);
        if (failure != null) {
            err.println("consume: a consumer failed: " + failure);
            return 1;
        }
        long firstNs = loops.stream().mapToLong(ConsumerLoop::firstRecordNs).min().orElse(Long.MAX_VALUE);
        long lastNs = loops.stream().mapToLong(ConsumerLoop::lastRecordNs).max().orElse(Long.MIN_VALUE);
        long total = records.sum();
        long b = bytes.sum();
        double seconds = total == 0 ? 0 : (lastNs - startNs) / 1e9;
        double fetchSeconds = total == 0 ? 0 : (lastNs - firstNs) / 1e9;
        PercentileSummary summary = new PercentileSummary(output.label(), total, b, seconds, 0, 0,
                log.totalCorrected());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("fetch_seconds", String.format(Locale.ROOT, "%.3f", fetchSeconds));
        extra.put("fetch_rec_per_s", String.format(Locale.ROOT, "%.1f", fetchSeconds > 0 ? total / fetchSeconds : 0));
        extra.put("fetch_MB_per_s", String.format(Locale.ROOT, "%.2f",
                fetchSeconds > 0 ? b / fetchSeconds / 1048576.0 : 0));
        extra.put("join_ms", total == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (firstNs - startNs) / 1e6));
        output.write(summary, extra, log, out);
        out.printf("  fetch-only  %s records/s, %s MB/s; first record after %s ms%n", extra.get("fetch_rec_per_s"),
                extra.get("fetch_MB_per_s"), extra.get("join_ms"));
        log.close();
        if (want > 0 && total < want) {
            err.printf("consume: only %d of %d records read%n", total, want);
            return 1;
        }
        return 0;
    }
}
