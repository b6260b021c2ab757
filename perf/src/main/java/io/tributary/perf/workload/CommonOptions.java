package io.tributary.perf.workload;

import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import io.tributary.perf.transport.Acks;
import io.tributary.perf.transport.ProducerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The options shared by the workload subcommands, and their conversion into settings. */
public final class CommonOptions {

    private CommonOptions() {
    }

    /** Connection and output options every workload takes. */
    public static List<OptionSpec> connection(String defaultLabel) {
        return List.of(
                OptionSpec.value("bootstrap", "HOST:PORT", "127.0.0.1:9092", "broker to connect to"),
                OptionSpec.value("transport", "NAME", "kafka", "protocol client to use"),
                OptionSpec.repeated("transport-prop", "K=V", "client property for every client of the transport"),
                OptionSpec.value("out", "DIR", "perf-out", "directory for .hgrm, .hlog, .properties, plots"),
                OptionSpec.value("label", "NAME", defaultLabel, "name of this run in files and plots"),
                OptionSpec.value("progress-interval", "DURATION", "5s", "how often to print a progress line to stderr"),
                OptionSpec.value("hlog-interval", "DURATION", "1s", "length of each interval histogram in the .hlog"));
    }

    /** Producer options, with the defaults of the calling subcommand. */
    public static List<OptionSpec> producer(String records, String duration, String rate, String warmup,
                                            String recordSize) {
        List<OptionSpec> l = new ArrayList<>();
        l.add(OptionSpec.value("topic", "NAME", null, "topic (default: a new perf-<time> topic)"));
        l.add(OptionSpec.value("partitions", "N", "6", "partitions of the topic if it is created"));
        l.add(OptionSpec.flag("no-create", "do not create the topic (rely on it existing or auto-creation)"));
        l.add(OptionSpec.value("records", "N", records, "stop after N records in all (warm-up included; 0 = no limit)"));
        l.add(OptionSpec.value("duration", "DURATION", duration, "stop after this long (warm-up included; 0 = no limit)"));
        l.add(OptionSpec.value("warmup", "DURATION", warmup, "leading time excluded from every figure"));
        l.add(OptionSpec.value("rate", "REC/S", rate, "total send rate, open loop; -1 = as fast as possible"));
        l.add(OptionSpec.value("producers", "N", "1", "producer clients (threads) sharing the rate and records"));
        l.add(OptionSpec.value("record-size", "BYTES", recordSize, "value size"));
        l.add(OptionSpec.value("keys", "SPEC", "none", "none | uniform:N | sequential:N"));
        l.add(OptionSpec.value("acks", "0|1|all", "1", "acknowledgement"));
        l.add(OptionSpec.flag("idempotence", "enable idempotent producers (needs acks=all)"));
        l.add(OptionSpec.value("compression", "CODEC", "none", "none | gzip | snappy | lz4 | zstd"));
        l.add(OptionSpec.value("batch-size", "BYTES", "131072", "producer batch size"));
        l.add(OptionSpec.value("linger-ms", "MS", "5", "producer linger"));
        l.add(OptionSpec.value("max-in-flight", "N", "16384", "most unacknowledged records per producer"));
        l.add(OptionSpec.repeated("producer-prop", "K=V", "extra producer property"));
        return l;
    }

    /** The producer settings given on the command line. */
    public static ProducerSettings producerSettings(Options o, String topic) {
        Acks acks = Acks.parse(o.required("acks"));
        if (o.flag("idempotence") && acks != Acks.ALL) {
            throw new io.tributary.perf.cli.UsageException("--idempotence needs --acks all");
        }
        return new ProducerSettings(topic, acks, o.flag("idempotence"), o.required("compression"),
                o.intValue("batch-size"), o.intValue("linger-ms"), o.keyValues("producer-prop"));
    }

    /** The transport properties. */
    public static Map<String, String> transportProps(Options o) {
        return o.keyValues("transport-prop");
    }

    /** The output directory. */
    public static Path outDir(Options o) {
        return Path.of(o.required("out"));
    }

    /** A duration option where 0 means "none": returns null for 0. */
    public static Duration optionalDuration(Options o, String name) {
        Duration d = o.duration(name);
        return d.isZero() ? null : d;
    }

    /** The topic option, or a new name {@code perf-<kind>-<epoch seconds>}. */
    public static String topic(Options o, String kind) {
        String t = o.get("topic");
        return t != null ? t : "perf-" + kind + "-" + System.currentTimeMillis() / 1000;
    }
}
