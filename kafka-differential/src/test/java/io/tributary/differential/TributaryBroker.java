package io.tributary.differential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Tributary as a child JVM on its runtime class path from {@code broker/target} ({@code lib/*} plus the broker
 * jar, written by the broker module's {@code package}), listening on an ephemeral loopback port over a fresh
 * data directory under {@code target/differential-brokers}.
 */
final class TributaryBroker implements ChildBroker {
    /** Main's startup line; group 1 is the first listener's bound port. */
    private static final Pattern STARTED =
            Pattern.compile("Tributary started in \\d+ ms: .* listeners \\[[A-Z_]+://[^:\\]]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path output;
    private final int port;

    private TributaryBroker(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Starts the broker with {@code settings} on top of the listener and data directory, and returns once it
     * has printed its bound port.
     *
     * @throws IllegalStateException if broker/target is not built, or the broker exits or does not start in 60 s
     */
    static TributaryBroker start(Map<String, String> settings) throws IOException, InterruptedException {
        Path runDir = Files.createDirectories(Path.of("target", "differential-brokers"))
                .resolve("tributary-" + System.nanoTime()).toAbsolutePath();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", "PLAINTEXT://127.0.0.1:0");
        config.put("log.dirs", Files.createDirectories(runDir.resolve("data")).toString());
        config.putAll(settings);
        Path properties = ChildProcess.writeProperties(runDir.resolve("broker.properties"), config);
        Path output = runDir.resolve("tributary.out");
        Process process = ChildProcess.start(List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", classPath(), "io.tributary.broker.Main", properties.toString()),
                output);
        try {
            return new TributaryBroker(process, output, awaitPort(process, output));
        } catch (RuntimeException | InterruptedException e) {
            ChildProcess.stop(process, 1);
            throw e;
        }
    }

    @Override
    public String name() {
        return "tributary";
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String output() {
        return ChildProcess.read(output);
    }

    @Override
    public void close() {
        ChildProcess.stop(process, 10);
    }

    private static int awaitPort(Process process, Path output) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean exited = !process.isAlive();
            Matcher m = STARTED.matcher(ChildProcess.read(output));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (exited) {
                throw new IllegalStateException("tributary exited with " + process.exitValue() + ":\n"
                        + ChildProcess.read(output));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("tributary did not start within " + START_TIMEOUT + ":\n"
                + ChildProcess.read(output));
    }

    /** {@code <broker target>/lib/*} and the broker jar. */
    private static String classPath() throws IOException {
        Path target = ChildProcess.pathProperty("tributary.broker.target");
        Path lib = target.resolve("lib");
        Path jar;
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("broker-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElse(null);
        }
        if (jar == null || !Files.isDirectory(lib)) {
            throw new IllegalStateException("no broker jar and lib/ in " + target
                    + "; build it first: mvn -pl broker -am package -DskipTests");
        }
        return lib.resolve("*") + System.getProperty("path.separator") + jar;
    }
}
