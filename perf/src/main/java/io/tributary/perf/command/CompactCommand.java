package io.tributary.perf.command;

import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code compact}: how fast a broker's log cleaner compacts a topic, and what that does to the
 * produce latency of another topic meanwhile. Any Kafka-protocol broker (Tributary, Apache Kafka),
 * measured from the outside the same way:
 *
 * <ol>
 *   <li>create a compacted topic that is not cleaned yet ({@code min.cleanable.dirty.ratio=1}) and
 *       load it with {@code --records} keyed records over {@code --keys} keys;</li>
 *   <li>start a fixed-rate acks=1 producer to a second topic, latency from each record's intended
 *       send time to its acknowledgement, and record {@code --settle} of it as the baseline;</li>
 *   <li>lower the ratio to 0.01 (IncrementalAlterConfigs), which makes the partition due, and poll
 *       its size (DescribeLogDirs) every 100 ms until it has shrunk below half and stayed put for
 *       {@code --quiet}: the cleaning took from the alter to the last shrink; its rate is the bytes
 *       the partition held before over that time.</li>
 * </ol>
 */
public final class CompactCommand implements Command {
    private static final String TOPIC = "compact-bench";
    private static final String LATENCY_TOPIC = "compact-bench-latency";

    @Override
    public String name() {
        return "compact";
    }

    @Override
    public String summary() {
        return "log cleaner throughput and produce latency while it cleans";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf compact --bootstrap HOST:PORT [options]

                Loads a compacted topic that is not due for cleaning, then makes it due and times the
                broker's cleaner from the outside (partition size by DescribeLogDirs), while a fixed-rate
                producer to another topic measures acks=1 latency before and during the cleaning.
                Prints one line of key=value results.""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>();
        l.add(OptionSpec.value("bootstrap", "HOST:PORT", "127.0.0.1:9092", "broker to connect to"));
        l.add(OptionSpec.value("label", "NAME", "compact", "name of this run in the result line"));
        l.add(OptionSpec.value("records", "N", "1000000", "keyed records loaded into the compacted topic"));
        l.add(OptionSpec.value("keys", "N", "50000", "distinct keys among them"));
        l.add(OptionSpec.value("value-size", "BYTES", "200", "value bytes per record"));
        l.add(OptionSpec.value("segment-bytes", "BYTES", "16777216", "segment.bytes of the compacted topic"));
        l.add(OptionSpec.value("latency-rate", "N", "2000", "records/s of the latency producer"));
        l.add(OptionSpec.value("settle", "DURATION", "5s", "baseline latency recorded before the cleaning"));
        l.add(OptionSpec.value("quiet", "DURATION", "3s", "no shrink this long ends the cleaning"));
        l.add(OptionSpec.value("timeout", "DURATION", "5m", "give up waiting for the cleaning after this long"));
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String bootstrap = o.required("bootstrap");
        long records = o.longValue("records");
        int keys = o.intValue("keys");
        int valueSize = o.intValue("value-size");
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(
                    new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                            "segment.bytes", o.get("segment-bytes"), "min.cleanable.dirty.ratio", "1")),
                    new NewTopic(LATENCY_TOPIC, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            awaitTopics(admin);
            int node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();

            long loadStart = System.nanoTime();
            load(bootstrap, records, keys, valueSize);
            double loadS = (System.nanoTime() - loadStart) / 1e9;
            long before = size(admin, node);
            err.printf("loaded %d records (%d bytes) in %.1f s%n", records, before, loadS);

            Recorder recorder = new Recorder(3);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread latency = new Thread(() -> latencyProducer(bootstrap, o.intValue("latency-rate"), recorder, running),
                    "compact-latency");
            latency.start();
            Thread.sleep(o.duration("settle").toMillis());
            Histogram baseline = recorder.getIntervalHistogram();

            long t0 = System.nanoTime();
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("min.cleanable.dirty.ratio", "0.01"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            long quietNs = o.duration("quiet").toNanos();
            long deadline = t0 + o.duration("timeout").toNanos();
            long last = before;
            long lastShrink = t0;
            while (System.nanoTime() < deadline) {
                Thread.sleep(100);
                long now = size(admin, node);
                if (now < last) {
                    last = now;
                    lastShrink = System.nanoTime();
                } else if (last < before / 2 && System.nanoTime() - lastShrink > quietNs) {
                    break;
                }
            }
            Histogram during = recorder.getIntervalHistogram();
            running.set(false);
            latency.join(30_000);
            double cleanS = (lastShrink - t0) / 1e9;
            boolean cleaned = last < before / 2;
            out.printf(Locale.ROOT, "label=%s cleaned=%s bytes_before=%d bytes_after=%d clean_s=%.2f clean_MB_per_s=%.1f"
                            + " load_s=%.1f base_p50_ms=%.2f base_p99_ms=%.2f base_p999_ms=%.2f base_n=%d"
                            + " clean_p50_ms=%.2f clean_p99_ms=%.2f clean_p999_ms=%.2f clean_max_ms=%.2f clean_n=%d%n",
                    o.get("label"), cleaned, before, last, cleanS, cleaned ? before / 1e6 / cleanS : 0.0, loadS,
                    ms(baseline, 50), ms(baseline, 99), ms(baseline, 99.9), baseline.getTotalCount(),
                    ms(during, 50), ms(during, 99), ms(during, 99.9), during.getMaxValue() / 1e6, during.getTotalCount());
            return cleaned ? 0 : 1;
        }
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private static void awaitTopics(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.describeTopics(List.of(TOPIC, LATENCY_TOPIC)).allTopicNames().get();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    private static void load(String bootstrap, long records, int keys, int valueSize) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, Map.of(ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 131072, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            byte[] value = new byte[valueSize];
            for (int i = 0; i < valueSize; i++) {
                value[i] = (byte) ('a' + i % 26);
            }
            for (long i = 0; i < records; i++) {
                byte[] key = String.format("key-%08d", i % keys).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                producer.send(new ProducerRecord<>(TOPIC, 0, key, value));
            }
            producer.flush();
        }
    }

    /** Sends 1 KiB records at {@code rate}/s; latency from each record's intended send time to its ack. */
    private static void latencyProducer(String bootstrap, int rate, Recorder recorder, AtomicBoolean running) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            byte[] value = new byte[1024];
            long intervalNs = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (long i = 0; running.get(); i++) {
                long intended = start + i * intervalNs;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                producer.send(new ProducerRecord<>(LATENCY_TOPIC, 0, null, value), (metadata, error) -> {
                    if (error == null) {
                        recorder.recordValue(Math.max(0, System.nanoTime() - intended));
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes of partition 0 of the compacted topic, as DescribeLogDirs reports them. */
    private static long size(Admin admin, int node) throws Exception {
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(node)).descriptions().get(node)
                .get(30, TimeUnit.SECONDS);
        long total = 0;
        for (LogDirDescription dir : dirs.values()) {
            ReplicaInfo info = dir.replicaInfos().get(new TopicPartition(TOPIC, 0));
            if (info != null) {
                total += info.size();
            }
        }
        return total;
    }
}
