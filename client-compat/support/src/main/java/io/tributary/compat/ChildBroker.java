package io.tributary.compat;

import io.tributary.broker.testing.BrokerClassPath;
import io.tributary.broker.testing.JvmCommand;
import io.tributary.broker.testing.PropertiesFile;
import io.tributary.broker.testing.TributaryProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Tributary broker running as a child JVM on its runtime class path from {@code broker/target}
 * ({@code lib/*} plus the broker jar, which the broker module's {@code package} phase writes), listening on
 * {@code 127.0.0.1} on an ephemeral port over a fresh data directory; a {@link TributaryProcess} with the
 * client-compat defaults.
 *
 * <p>The data directory and the broker's output file stay under {@code target/it-brokers} after the test,
 * for a look after a failure; {@code mvn clean} removes them.
 */
public final class ChildBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final TributaryProcess broker;
    private final Path dataDir;

    private ChildBroker(TributaryProcess broker, Path dataDir) {
        this.broker = broker;
        this.dataDir = dataDir;
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
        Map<String, String> settings = new LinkedHashMap<>();
        // As Kafka's own test harness does: a classic group's first join does not wait 3 s for more members.
        settings.put("group.initial.rebalance.delay.ms", "0");
        PropertiesFile.putPairs(settings, extra);
        String classPath = BrokerClassPath.fromTargetProperty("tributary.broker.target");
        TributaryProcess broker = TributaryProcess.startIn(runDir, classPath, settings, START_TIMEOUT);
        return new ChildBroker(broker, runDir.resolve("data"));
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public int port() {
        return broker.port();
    }

    /** The broker's {@code log.dirs}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Everything the broker has printed so far. */
    public String output() {
        return broker.child().output();
    }

    /** SIGTERM, then SIGKILL if the broker has not exited within 10 s. */
    @Override
    public void close() throws InterruptedException {
        broker.child().stop(Duration.ofSeconds(10));
    }

    /** The java binary of the JVM running the tests. */
    public static String javaExecutable() {
        return JvmCommand.javaExecutable();
    }
}
