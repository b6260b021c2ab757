package io.tributary.perf.ingest;

import io.tributary.log.FlushPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.PipelineConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throughput of the ingest pipeline into a fresh log, against the disk's raw sequential write speed.
 *
 * <p>For each flush policy (ASYNC, SYNC) and each number of concurrent appenders (1, 8) it appends
 * 1 KiB v2 batches to one partition of a new topic in a new temporary log for a bounded time and
 * byte count, each appender keeping {@value #WINDOW} appends in flight (or {@code window}). It prints MiB/s and appends
 * per fsync for each case, and {@code dd if=/dev/zero of=<tmp> bs=1M count=512 conv=fdatasync}
 * on the same directory before and after the cases (shared disks vary), and the ratio of the SYNC
 * results to the mean of the two dd runs (target: SYNC at least 0.4x dd).
 *
 * <p>Run (not part of the test suite):
 * <pre>
 * mvn -q -o -pl perf -am package -DskipTests
 * mvn -q -o -pl perf dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp perf/target/classes:$(cat /tmp/cp.txt) io.tributary.perf.ingest.IngestBenchmark [dir] [secondsPerCase] [window]
 * </pre>
 * {@code dir} defaults to {@code java.io.tmpdir} and must be on the disk under test; each case's log
 * is deleted after it ran.
 *
 * <p>Reading the SYNC numbers: an append completes only after the fsync that covers it, so at steady
 * state about half of the in-flight window waits in the current fsync and half for the next one;
 * throughput is then bounded by {@code appenders * window * batch / (2 * fsync time)}, whatever
 * the pipeline does. A larger window (or faster fsync) is what moves that bound.
 */
public final class IngestBenchmark {
    static final int WINDOW = 64;
    static final int BATCH_BYTES = 1024;
    static final long MAX_BYTES_PER_CASE = 1L << 30;
    static final int DD_MIB = 512;

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Paths.get(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : WINDOW;
        System.out.printf(Locale.ROOT, "%d-byte batches, %d in flight per appender, %d s per case, in %s%n",
                BATCH_BYTES, window, seconds, base);
        double ddBefore = ddMibPerSecond(base);
        List<CaseResult> results = new ArrayList<>();
        for (FlushPolicy policy : List.of(FlushPolicy.ASYNC, FlushPolicy.SYNC)) {
            for (int appenders : new int[] {1, 8}) {
                CaseResult result = runCase(base, policy, appenders, seconds, window);
                System.out.println(result);
                results.add(result);
            }
        }
        double dd = (ddBefore + ddMibPerSecond(base)) / 2;
        System.out.printf(Locale.ROOT, "dd bs=1M count=%d conv=fdatasync, mean of a run before and after: %.1f MiB/s%n",
                DD_MIB, dd);
        for (CaseResult result : results) {
            if (result.policy == FlushPolicy.SYNC) {
                System.out.printf(Locale.ROOT, "SYNC x%d / dd = %.2f%n", result.appenders, result.mibPerSecond() / dd);
            }
        }
    }

    private static CaseResult runCase(Path base, FlushPolicy policy, int appenders, int seconds,
                                      int window) throws Exception {
        Path dir = Files.createTempDirectory(base, "ingest-bench-");
        try {
            try (LogManager log = LogManager.open(LogManagerConfig.builder(dir).build());
                 IngestPipeline pipeline = IngestPipeline.start(log, PipelineConfig.builder().stateDir(dir).build())) {
                PartitionLog partition = log.createTopic("bench", 1, Map.of(
                        LogConfig.FLUSH_POLICY, policy.configValue(),
                        LogConfig.FLUSH_MS, "3600000")).partition(0);
                long flushesBefore = partition.flushCount();
                long maxAppends = MAX_BYTES_PER_CASE / BATCH_BYTES / appenders;
                long start = System.nanoTime();
                long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
                List<Appender> clients = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < appenders; i++) {
                    Appender appender = new Appender(pipeline, partition, window, BATCH_BYTES, deadline, maxAppends);
                    clients.add(appender);
                    threads.add(new Thread(appender, "appender-" + i));
                }
                threads.forEach(Thread::start);
                for (Thread thread : threads) {
                    thread.join();
                }
                long elapsed = System.nanoTime() - start;
                long fsyncs = partition.flushCount() - flushesBefore;
                return new CaseResult(policy, appenders, elapsed,
                        clients.stream().mapToLong(Appender::completed).sum(),
                        clients.stream().mapToLong(Appender::failed).sum(),
                        clients.stream().mapToLong(Appender::backPressured).sum(), fsyncs);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Runs dd into {@code base} and returns MiB/s from its wall time (the fdatasync included). */
    private static double ddMibPerSecond(Path base) throws IOException, InterruptedException {
        Path file = Files.createTempFile(base, "dd-", ".bin");
        try {
            long start = System.nanoTime();
            Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=" + DD_MIB,
                    "conv=fdatasync").redirectErrorStream(true).start();
            String output = new String(dd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = dd.waitFor();
            long elapsed = System.nanoTime() - start;
            if (exit != 0) {
                throw new IOException("dd failed (" + exit + "): " + output);
            }
            String[] lines = output.split("\n");
            System.out.println("dd: " + lines[lines.length - 1]);
            return DD_MIB / (elapsed / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private record CaseResult(FlushPolicy policy, int appenders, long elapsedNanos, long appends, long failed,
                              long backPressured, long fsyncs) {
        double mibPerSecond() {
            return appends * (double) BATCH_BYTES / (1 << 20) / (elapsedNanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%-5s appenders=%d: %8.1f MiB/s  %9.0f appends/s  appends=%d failed=%d fsyncs=%d appends/fsync=%s"
                            + " ms/fsync=%s back-pressured offers=%d",
                    policy, appenders, mibPerSecond(), appends / (elapsedNanos / 1e9), appends, failed, fsyncs,
                    fsyncs == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", appends / (double) fsyncs),
                    fsyncs == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", elapsedNanos / 1e6 / fsyncs),
                    backPressured);
        }
    }
}
