package io.tributary.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Tributary broker running as a child JVM on its runtime class path from {@code broker/target}
 * ({@code lib/*} plus the broker jar, which the broker module's {@code package} phase writes), listening on
 * {@code 127.0.0.1} on an ephemeral port over a fresh data directory.
 *
 * <p>The data directory and the broker's output file stay under {@code target/it-brokers} after the test,
 * for a look after a failure; {@code mvn clean} removes them.
 */
public final class ChildBroker implements AutoCloseable {
    /** {@code Main}'s startup line; group 1 is the first listener's bound port. */
    private static final Pattern STARTED =
            Pattern.compile("Tributary started in \\d+ ms: .* listeners \\[[A-Z_]+://[^:\\]]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path output;
    private final Path dataDir;
    private final int port;

    private ChildBroker(Process process, Path output, Path dataDir, int port) {
        this.process = process;
        this.output = output;
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Starts a broker named {@code name} with {@code extra} broker properties ({@code key=value}) on top of
     * the loopback listener, the data directory and {@code group.initial.rebalance.delay.ms=0}, and returns
     * once it has printed its bound port.
     *
     * @throws IllegalStateException if {@code broker/target} has not been built, or the broker exits or
     *                               does not start within 60 s (the message holds its output)
     */
    public static ChildBroker start(String name, String... extra) throws IOException, InterruptedException {
        Path runDir = Files.createDirectories(Path.of("target", "it-brokers"))
                .resolve(name + "-" + System.nanoTime()).toAbsolutePath();
        Path dataDir = Files.createDirectories(runDir.resolve("data"));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", "PLAINTEXT://127.0.0.1:0");
        config.put("log.dirs", dataDir.toString());
        // As Kafka's own test harness does: a classic group's first join does not wait 3 s for more members.
        config.put("group.initial.rebalance.delay.ms", "0");
        for (String pair : extra) {
            int eq = pair.indexOf('=');
            config.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        StringBuilder text = new StringBuilder();
        config.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path properties = Files.writeString(runDir.resolve("broker.properties"), text);
        Path output = runDir.resolve("broker.out");

        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", brokerClassPath(), "io.tributary.broker.Main", properties.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        // A test JVM killed by its fork timeout must not leave a broker behind on a CI machine.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-" + name));
        try {
            return new ChildBroker(process, output, dataDir, awaitPort(process, output));
        } catch (RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker's {@code log.dirs}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Everything the broker has printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + output, e);
        }
    }

    /** SIGTERM, then SIGKILL if the broker has not exited within 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The java binary of the JVM running the tests. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int awaitPort(Process process, Path output) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean exited = !process.isAlive();
            String text = read(output);
            Matcher m = STARTED.matcher(text);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (exited) {
                throw new IllegalStateException("broker exited with " + process.exitValue() + " before starting:\n" + text);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("broker did not start within " + START_TIMEOUT + ":\n" + read(output));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * {@code <target>/lib/*} and the broker jar, where {@code <target>} is the system property
     * {@code tributary.broker.target} (set by the client-compat pom).
     */
    private static String brokerClassPath() throws IOException {
        String property = System.getProperty("tributary.broker.target");
        if (property == null) {
            throw new IllegalStateException("system property tributary.broker.target is not set (run through Maven)");
        }
        Path target = Path.of(property).toAbsolutePath().normalize();
        Path lib = target.resolve("lib");
        Path jar;
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("broker-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst().orElse(null);
        }
        if (jar == null || !Files.isDirectory(lib)) {
            throw new IllegalStateException("no broker jar and lib/ in " + target
                    + "; build it first: mvn -pl broker -am package -DskipTests");
        }
        return lib + "/*" + System.getProperty("path.separator") + jar;
    }
}
