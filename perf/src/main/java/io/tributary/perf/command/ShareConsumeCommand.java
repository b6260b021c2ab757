package io.tributary.perf.command;

import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import io.tributary.perf.latency.IntervalLog;
import io.tributary.perf.latency.LatencyRecorder;
import io.tributary.perf.latency.PercentileSummary;
import io.tributary.perf.workload.CommonOptions;
import io.tributary.perf.workload.RunMonitor;
import io.tributary.perf.workload.RunOutput;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code share-consume}: share-group (queue) throughput. {@code --consumers} {@code KafkaShareConsumer}s of
 * one new share group (its {@code share.auto.offset.reset} set to earliest first, as Kafka's
 * ShareConsumerPerformance needs) read a topic until {@code --records} are acknowledged or nothing arrives
 * for {@code --idle-timeout}. Each consumer accepts every record explicitly and commits after each poll; the
 * histogram is the acquire-to-acknowledge latency of each record: from the poll that delivered it to the
 * commit that the broker confirmed.
 */
public final class ShareConsumeCommand implements Command {

    @Override
    public String name() {
        return "share-consume";
    }

    @Override
    public String summary() {
        return "share-group throughput and acquire -> acknowledge latency";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf share-consume --topic NAME [options]

                Reads --topic with --consumers share consumers in a new share group whose
                share.auto.offset.reset is set to earliest, accepting every record and committing after
                each poll, until --records records are acknowledged or none arrives for --idle-timeout.
                Prints records/s and MB/s (from the first record to the last) and the latency from the
                poll that delivered a record to the commit that acknowledged it.""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>(CommonOptions.connection("share-consume"));
        l.add(OptionSpec.value("topic", "NAME", null, "topic to read (required)"));
        l.add(OptionSpec.value("records", "N", "0", "stop after N records (0 = when idle)"));
        l.add(OptionSpec.value("consumers", "N", "3", "share consumers (threads) in the group"));
        l.add(OptionSpec.value("group", "ID", null, "share group id (default: a new perf-share-<time>)"));
        l.add(OptionSpec.value("idle-timeout", "DURATION", "10s", "stop when nothing arrived this long"));
        l.add(OptionSpec.value("timeout", "DURATION", "10m", "give up after this long in all"));
        l.add(OptionSpec.repeated("consumer-prop", "K=V", "extra share-consumer property"));
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String bootstrap = o.required("bootstrap");
        String topic = o.required("topic");
        int n = o.intValue("consumers");
        long want = o.longValue("records");
        long idleNs = o.duration("idle-timeout").toNanos();
        String group = o.get("group") != null ? o.get("group") : "perf-share-" + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
        RunOutput output = new RunOutput(CommonOptions.outDir(o), o.required("label"));
        LatencyRecorder recorder = new LatencyRecorder();
        LongAdder records = new LongAdder();
        LongAdder bytes = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long startNs = System.nanoTime();
        long deadline = startNs + o.duration("timeout").toNanos();
        long[] firstNs = {Long.MAX_VALUE};
        long[] lastNs = {Long.MIN_VALUE};
        IntervalLog log = new IntervalLog(recorder, output.openHlog(), startNs, System.currentTimeMillis());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try (KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(
                        properties(bootstrap, group, o.keyValues("consumer-prop")),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(topic));
                    long lastRecordNs = System.nanoTime();
                    while ((want <= 0 || records.sum() < want) && System.nanoTime() < deadline
                            && System.nanoTime() - lastRecordNs < idleNs && failure.get() == null) {
                        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
                        if (polled.isEmpty()) {
                            continue;
                        }
                        long acquiredNs = System.nanoTime();
                        int polledBytes = 0;
                        for (ConsumerRecord<byte[], byte[]> r : polled) {
                            consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                            polledBytes += r.value() == null ? 0 : r.value().length;
                        }
                        consumer.commitSync();
                        long ackedNs = System.nanoTime();
                        for (int k = 0; k < polled.count(); k++) {
                            recorder.record(acquiredNs, acquiredNs, ackedNs, 0);
                        }
                        records.add(polled.count());
                        bytes.add(polledBytes);
                        lastRecordNs = ackedNs;
                        synchronized (firstNs) {
                            firstNs[0] = Math.min(firstNs[0], acquiredNs);
                            lastNs[0] = Math.max(lastNs[0], ackedNs);
                        }
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "perf-share-consumer-" + i);
            threads.add(t);
            t.start();
        }
        new RunMonitor(log, records::sum, records::sum, () -> failure.get() == null ? 0 : 1, err,
                o.duration("hlog-interval"), o.duration("progress-interval"), startNs)
                .monitorWhile(() -> threads.stream().anyMatch(Thread::isAlive));
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            err.println("share-consume: a consumer failed: " + failure.get());
            return 1;
        }
        long total = records.sum();
        double seconds = total == 0 ? 0 : (lastNs[0] - firstNs[0]) / 1e9;
        PercentileSummary summary = new PercentileSummary(output.label(), total, bytes.sum(), seconds, 0,
                recorder.errors(), log.totalCorrected());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("consumers", Integer.toString(n));
        extra.put("join_ms", total == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (firstNs[0] - startNs) / 1e6));
        output.write(summary, extra, log, out);
        log.close();
        if (want > 0 && total < want) {
            err.printf("share-consume: only %d of %d records acknowledged%n", total, want);
            return 1;
        }
        return 0;
    }

    private static Properties properties(String bootstrap, String group, Map<String, String> extra) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        p.putAll(extra);
        return p;
    }
}
