package io.tributary.differential;

import io.tributary.broker.testing.BrokerClassPath;
import io.tributary.broker.testing.TributaryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Tributary as a child JVM on its runtime class path from {@code broker/target} ({@code lib/*} plus the broker
 * jar, written by the broker module's {@code package}), listening on an ephemeral loopback port over a fresh
 * data directory under {@code target/differential-brokers}: a {@link TributaryProcess} seen as a
 * {@link ChildBroker}.
 */
final class TributaryBroker implements ChildBroker {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final TributaryProcess broker;

    private TributaryBroker(TributaryProcess broker) {
        this.broker = broker;
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
        String classPath = BrokerClassPath.fromTargetProperty("tributary.broker.target");
        return new TributaryBroker(TributaryProcess.startIn(runDir, classPath, settings, START_TIMEOUT));
    }

    @Override
    public String name() {
        return "tributary";
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public String output() {
        return broker.child().output();
    }

    @Override
    public void close() {
        ChildBroker.stop(broker.child(), Duration.ofSeconds(10));
    }
}
