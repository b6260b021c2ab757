package io.tributary.broker;

import io.tributary.log.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/tributary [CONFIG_FILE] [--override key=value ...]}: runs a broker in the foreground
 * until SIGTERM or Ctrl-C, then shuts it down cleanly. {@code --help} prints the usage.
 *
 * <p>Exit status: 1 if the configuration is invalid or startup fails, 2 for bad arguments; after a
 * signal, the JVM's (143 for SIGTERM, 130 for SIGINT).
 *
 * <p>Once every listener is bound it logs one line, which tools and tests may parse:
 * <pre>Tributary started in 312 ms: node 1, cluster AbC..., listeners [PLAINTEXT://127.0.0.1:9092], data directory /abs/path</pre>
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tributary: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (commandLine.helpRequested()) {
            System.out.println(CommandLine.HELP);
            return;
        }
        BrokerConfig config;
        try {
            config = commandLine.configFile() == null
                    ? BrokerConfig.of(commandLine.overrides())
                    : BrokerConfig.load(commandLine.configFile(), commandLine.overrides());
        } catch (InvalidConfigException e) {
            LOG.error("Invalid configuration: {}", e.getMessage());
            System.exit(1);
            return;
        } catch (java.nio.file.NoSuchFileException e) {
            LOG.error("Cannot read config file {}: no such file", commandLine.configFile());
            System.exit(1);
            return;
        } catch (IOException e) {
            LOG.error("Cannot read config file {}: {}", commandLine.configFile(), e.toString());
            System.exit(1);
            return;
        }
        Broker broker;
        try {
            broker = Broker.start(config);
        } catch (IllegalStateException | UncheckedIOException e) {
            // What the operator can fix (a port in use, a locked or foreign data directory): one line, the trace at DEBUG.
            LOG.error("Startup failed: {}", e.getMessage());
            LOG.debug("Startup failure", e);
            System.exit(1);
            return;
        } catch (Exception e) {
            LOG.error("Startup failed: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(broker, stopped), "tributary-shutdown"));
        LOG.info("Tributary started in {} ms: node {}, cluster {}, listeners {}, data directory {}",
                millisSinceJvmStart(), broker.nodeId(), broker.clusterId(),
                describe(broker.boundAddresses()), broker.dataDir());
        if (!broker.ignoredKeys().isEmpty()) {
            // Repeated after the start line, where it is not lost among the INFO lines of recovery.
            LOG.warn("{} configuration key(s) ignored because nothing reads them: {}; see docs/configuration.md",
                    broker.ignoredKeys().size(), String.join(", ", broker.ignoredKeys()));
        }
        stopped.await();
    }

    private static void shutDown(Broker broker, CountDownLatch stopped) {
        long start = System.nanoTime();
        LOG.info("Shutting down");
        try {
            broker.close();
            LOG.info("Shutdown complete in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.error("Shutdown failed; the next start will recover the log", e);
        } finally {
            stopped.countDown();
        }
    }

    /** Milliseconds since the JVM started (not the process: bin/tributary may have built the jar first). */
    private static long millisSinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    private static String describe(Map<String, InetSocketAddress> bound) {
        StringJoiner joiner = new StringJoiner(", ", "[", "]");
        bound.forEach((name, address) -> joiner.add(name + "://" + address.getHostString() + ":" + address.getPort()));
        return joiner.toString();
    }
}
