package io.tributary.perf.command;

import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import io.tributary.perf.latency.IntervalLog;
import io.tributary.perf.latency.LatencyRecorder;
import io.tributary.perf.latency.PercentileSummary;
import io.tributary.perf.transport.Transport;
import io.tributary.perf.transport.Transports;
import io.tributary.perf.workload.CommonOptions;
import io.tributary.perf.workload.RunMonitor;
import io.tributary.perf.workload.RunOutput;
import io.tributary.perf.workload.Transactions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code produce} (producer throughput, as fast as possible by default) and {@code latency}
 * (send → ack latency at a fixed rate): the same open-loop producers with different defaults.
 * Either may send in transactions ({@link Transactions}); then the commits' durations are reported
 * beside ({@code LABEL-commit.properties}, {@code LABEL-commit.hgrm}).
 */
public final class ProduceCommand implements Command {

    private final boolean latency;

    private ProduceCommand(boolean latency) {
        this.latency = latency;
    }

    /** {@code produce}: 1,000,000 records as fast as possible. */
    public static ProduceCommand throughput() {
        return new ProduceCommand(false);
    }

    /** {@code latency}: 50,000 records/s for 30 s after a 5 s warm-up. */
    public static ProduceCommand fixedRate() {
        return new ProduceCommand(true);
    }

    @Override
    public String name() {
        return latency ? "latency" : "produce";
    }

    @Override
    public String summary() {
        return latency ? "send -> ack latency at a fixed rate (open loop, corrected for coordinated omission)"
                : "producer throughput (as fast as possible unless --rate is given)";
    }

    @Override
    public String description() {
        return latency
                ? """
                Usage: tributary-perf latency [options]

                Sends at a fixed total --rate, open loop: send i is due at start + i/rate whatever
                happened before, and its latency is ack time minus due time (corrected for
                coordinated omission; the uncorrected figure, from the actual send, is kept too).
                Records due in the warm-up are excluded. Writes LABEL.{hgrm,hlog,properties,png,html}
                to --out and prints the summary; a progress line goes to stderr. With
                --transactional-id or --transaction-duration-ms (needs --acks all) each producer sends
                in transactions committed every MS ms; commit times go to LABEL-commit.{properties,hgrm}."""
                : """
                Usage: tributary-perf produce [options]

                Producer throughput: sends --records records (or for --duration) as fast as the
                producers can (--rate -1), or at a fixed --rate. Latency is send -> ack, measured
                from the due time when paced and from the actual send when unthrottled. Writes
                LABEL.{hgrm,hlog,properties,png,html} to --out and prints the summary. With
                --transactional-id or --transaction-duration-ms (needs --acks all) each producer sends
                in transactions committed every MS ms; commit times go to LABEL-commit.{properties,hgrm}.""";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> l = new ArrayList<>(CommonOptions.connection(name()));
        l.addAll(latency ? CommonOptions.producer("0", "30s", "50000", "5s", "1024")
                : CommonOptions.producer("1000000", "0", "-1", "0s", "1024"));
        l.addAll(Transactions.options());
        return l;
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String topic = CommonOptions.topic(o, name());
        RunOutput output = new RunOutput(CommonOptions.outDir(o), o.required("label"));
        Duration warmup = o.duration("warmup");
        LatencyRecorder recorder = new LatencyRecorder();
        LatencyRecorder commits = new LatencyRecorder();
        Transactions transactions = Transactions.parse(o);
        try (Transport transport = Transports.byName(o.required("transport"))
                .open(o.required("bootstrap"), CommonOptions.transportProps(o))) {
            if (!o.flag("no-create")) {
                transport.ensureTopic(topic, o.intValue("partitions"), Duration.ofSeconds(60));
            }
            err.printf("%s: topic %s on %s%n", name(), topic, o.required("bootstrap"));
            PercentileSummary summary;
            IntervalLog log;
            try (ProducerFleet fleet = new ProducerFleet(transport, o, topic, transactions)) {
                long startNs = System.nanoTime() + 10_000_000L;
                long epochMs = System.currentTimeMillis() + 10;
                recorder.measureFrom(startNs + warmup.toNanos());
                commits.measureFrom(startNs + warmup.toNanos());
                fleet.prepare(o, startNs, recorder, false, commits);
                log = new IntervalLog(recorder, output.openHlog(), startNs, epochMs);
                fleet.start();
                new RunMonitor(log, fleet.sent()::sum, RunMonitor.completions(recorder), recorder::errors, err,
                        o.duration("hlog-interval"), o.duration("progress-interval"), startNs)
                        .monitorWhile(fleet::running);
                Throwable failure = fleet.join();
                if (failure != null) {
                    err.println(name() + ": a producer failed: " + failure);
                    log.close();
                    return 1;
                }
                summary = transactions.enabled()
                        ? summarize(output.label(), recorder, log, recorder.measureFromNs(), commits.lastDoneNs())
                        : summarize(output.label(), recorder, log, recorder.measureFromNs());
            }
            if (transactions.enabled()) {
                writeWithCommits(output, summary, log, commits, transactions, out);
            } else {
                output.write(summary, log, out);
            }
            log.close();
        }
        return recorder.errors() > 0 ? 1 : 0;
    }

    /**
     * Writes the run's figures with the commits': {@code transactions}, {@code commit_p50_ms} and
     * {@code commit_p99_ms} in {@code LABEL.properties}, the commit summary in
     * {@code LABEL-commit.properties} and its distribution in {@code LABEL-commit.hgrm}.
     */
    private static void writeWithCommits(RunOutput output, PercentileSummary summary, IntervalLog log,
                                         LatencyRecorder commits, Transactions transactions, PrintStream out)
            throws java.io.IOException {
        org.HdrHistogram.Histogram commitNanos = commits.takeInterval(null, null).corrected();
        PercentileSummary commit = new PercentileSummary(output.label() + " commit (records = transactions)",
                commits.measuredRecords(), 0, summary.seconds(), commits.warmupRecords(), commits.errors(),
                commitNanos);
        output.write(summary, Map.of(
                "transaction_ms", Long.toString(transactions.every().toMillis()),
                "transactions", Long.toString(commits.measuredRecords()),
                "commit_p50_ms", format(commit.latencyMs(50)),
                "commit_p99_ms", format(commit.latencyMs(99))), log, out);
        output.writeSecondary("commit", commit, out);
        if (commitNanos.getTotalCount() > 0) {
            output.writeHgrm("commit", commitNanos);
        }
    }

    private static String format(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.3f", ms);
    }

    /** The summary over the measured part: from the end of the warm-up to the last completion. */
    static PercentileSummary summarize(String label, LatencyRecorder recorder, IntervalLog log, long measureFromNs) {
        return summarize(label, recorder, log, measureFromNs, Long.MIN_VALUE);
    }

    /** As above, where the run ends at the last completion or at {@code alsoDoneNs} (the last commit), the later. */
    static PercentileSummary summarize(String label, LatencyRecorder recorder, IntervalLog log, long measureFromNs,
                                       long alsoDoneNs) {
        long last = Math.max(recorder.lastDoneNs(), alsoDoneNs);
        double seconds = last == Long.MIN_VALUE ? 0 : (last - measureFromNs) / 1e9;
        return new PercentileSummary(label, recorder.measuredRecords(), recorder.measuredBytes(), seconds,
                recorder.warmupRecords(), recorder.errors(), log.totalCorrected());
    }
}
