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
import io.tributary.transactions.client.LocalTransactionState;
import io.tributary.transactions.client.Message;
import io.tributary.transactions.client.MessageView;
import io.tributary.transactions.client.TransactionListener;
import io.tributary.transactions.client.TransactionProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code half}: half-message (RocketMQ-style) transaction throughput and latency. {@code --producers} threads,
 * each with its own {@link TransactionProducer} of one producer group, send half messages one after another
 * (closed loop) with a local transaction that commits at once; the histogram is the time of each
 * {@code sendMessageInTransaction}: SendHalf stored, the listener called, EndHalf's commit durable with the
 * record in its target.
 */
public final class HalfCommand implements Command {

    @Override
    public String name() {
        return "half";
    }

    @Override
    public String summary() {
        return "half-message commit throughput and send -> committed latency";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf half [options]

                --producers threads, each a TransactionProducer of one producer group, call
                sendMessageInTransaction one after another with a local transaction that answers
                COMMIT_MESSAGE at once (--rollback-percent of them ROLLBACK_MESSAGE), until --records
                transactions or --duration. Prints transactions/s and the latency of each call: the half
                message stored, then the commit (record in its target) or rollback durable. Needs a
                Tributary broker (the half-message extension APIs).""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>(CommonOptions.connection("half"));
        l.add(OptionSpec.value("topic", "NAME", null, "target topic (default: a new perf-half-<time> topic)"));
        l.add(OptionSpec.value("partitions", "N", "6", "partitions of the topic if it is created"));
        l.add(OptionSpec.value("records", "N", "20000", "stop after N transactions in all (0 = no limit)"));
        l.add(OptionSpec.value("duration", "DURATION", "60s", "stop after this long (0 = no limit)"));
        l.add(OptionSpec.value("warmup", "DURATION", "5s", "leading time excluded from every figure"));
        l.add(OptionSpec.value("producers", "N", "4", "producer threads (one TransactionProducer each)"));
        l.add(OptionSpec.value("record-size", "BYTES", "1024", "value size of each half message"));
        l.add(OptionSpec.value("rollback-percent", "P", "0", "percentage of local transactions that roll back"));
        l.add(OptionSpec.value("group", "ID", null, "producer group (default: perf-half-<time>)"));
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String bootstrap = o.required("bootstrap");
        String topic = o.get("topic") != null ? o.get("topic") : "perf-half-" + System.currentTimeMillis() / 1000;
        if (o.get("topic") == null) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, o.intValue("partitions"), (short) 1)))
                        .all().get(60, TimeUnit.SECONDS);
            }
        }
        String group = o.get("group") != null ? o.get("group") : "perf-half-" + System.currentTimeMillis();
        int producers = o.intValue("producers");
        long want = o.longValue("records");
        long durationNs = o.duration("duration").toNanos();
        int size = o.intValue("record-size");
        int rollbackPercent = o.intValue("rollback-percent");
        RunOutput output = new RunOutput(CommonOptions.outDir(o), o.required("label"));
        LatencyRecorder recorder = new LatencyRecorder();
        long startNs = System.nanoTime();
        recorder.measureFrom(startNs + o.duration("warmup").toNanos());
        IntervalLog log = new IntervalLog(recorder, output.openHlog(), startNs, System.currentTimeMillis());
        AtomicLong started = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong rolledBack = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            Thread t = new Thread(() -> {
                try (TransactionProducer producer = new TransactionProducer(group, bootstrap)) {
                    producer.setTransactionListener(new CommitOrRollback(rollbackPercent));
                    producer.start();
                    byte[] value = new byte[size];
                    ThreadLocalRandom.current().nextBytes(value);
                    while (failure.get() == null && (want <= 0 || started.incrementAndGet() <= want)
                            && (durationNs <= 0 || System.nanoTime() - startNs < durationNs)) {
                        long sentNs = System.nanoTime();
                        var result = producer.sendMessageInTransaction(new Message(topic, value), null);
                        long doneNs = System.nanoTime();
                        recorder.record(sentNs, sentNs, doneNs, size);
                        if (result.getLocalTransactionState() == LocalTransactionState.ROLLBACK_MESSAGE) {
                            rolledBack.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "perf-half-" + i);
            threads.add(t);
            t.start();
        }
        new RunMonitor(log, done::get, done::get, () -> failure.get() == null ? 0 : 1, err,
                o.duration("hlog-interval"), o.duration("progress-interval"), startNs)
                .monitorWhile(() -> threads.stream().anyMatch(Thread::isAlive));
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            err.println("half: a producer failed: " + failure.get());
            log.close();
            return 1;
        }
        PercentileSummary summary = ProduceCommand.summarize(output.label(), recorder, log, recorder.measureFromNs());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("producers", Integer.toString(producers));
        extra.put("rolled_back", Long.toString(rolledBack.get()));
        output.write(summary, extra, log, out);
        log.close();
        return 0;
    }

    /** Decides at once: rollback for {@code rollbackPercent} % of the transactions, else commit; checks answer commit. */
    private record CommitOrRollback(int rollbackPercent) implements TransactionListener {
        @Override
        public LocalTransactionState executeLocalTransaction(Message message, Object arg) {
            return ThreadLocalRandom.current().nextInt(100) < rollbackPercent
                    ? LocalTransactionState.ROLLBACK_MESSAGE : LocalTransactionState.COMMIT_MESSAGE;
        }

        @Override
        public LocalTransactionState checkLocalTransaction(MessageView message) {
            return LocalTransactionState.COMMIT_MESSAGE;
        }
    }
}
