package io.tributary.differential;

import io.tributary.broker.testing.BrokerClassPath;
import io.tributary.broker.testing.ChildProcess;
import io.tributary.broker.testing.JvmCommand;
import io.tributary.broker.testing.LoopbackPort;
import io.tributary.broker.testing.PropertiesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (the {@code kafka_2.13} jars the pom copies into {@code target/kafka-server-lib})
 * in KRaft combined mode, one node, as a child JVM: storage formatted by {@code kafka.tools.StorageTool}, then
 * {@code kafka.Kafka server.properties}, client and controller listeners on free loopback ports, a fresh data
 * directory under {@code target/differential-brokers}, heap capped at 512 MiB.
 */
final class KafkaBroker implements ChildBroker {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ChildProcess child;
    private final int port;
    private final ClientListener listener;

    private KafkaBroker(ChildProcess child, int port, ClientListener listener) {
        this.child = child;
        this.port = port;
        this.listener = listener;
    }

    /**
     * Formats storage and starts the broker with {@code settings} on top of the single-node KRaft settings,
     * and returns once an Admin client sees the node in the cluster.
     *
     * @throws IllegalStateException if formatting fails, or the broker exits or is not ready within 90 s
     */
    static KafkaBroker start(Map<String, String> settings) throws IOException, InterruptedException {
        return start(settings, ClientListener.PLAINTEXT);
    }

    /**
     * As {@link #start(Map)}, with the client listener speaking {@code listener}'s protocol (also the inter-broker
     * listener); {@code settings} may replace {@code listener.security.protocol.map} (the controller listener is
     * PLAINTEXT otherwise). The readiness check connects with {@code listener}'s client settings.
     */
    static KafkaBroker start(Map<String, String> settings, ClientListener listener)
            throws IOException, InterruptedException {
        Path runDir = Files.createDirectories(Path.of("target", "differential-brokers"))
                .resolve("kafka-" + System.nanoTime()).toAbsolutePath();
        Path logDir = Files.createDirectories(runDir.resolve("logs"));
        int port = LoopbackPort.free();
        int controllerPort = LoopbackPort.free();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String protocol = listener.protocol();
        config.put("listeners", protocol + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", protocol + "://127.0.0.1:" + port);
        config.put("inter.broker.listener.name", protocol);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT," + protocol + ":" + protocol);
        config.put("log.dirs", logDir.toString());
        config.put("num.network.threads", "1");
        config.put("num.io.threads", "2");
        config.put("offsets.topic.replication.factor", "1");
        // One partition instead of 50: the first group operation creates the topic, and 50 cost seconds.
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.putAll(settings);
        Path properties = PropertiesFile.write(runDir.resolve("server.properties"), config);
        Path log4j = Files.writeString(runDir.resolve("log4j2.properties"), String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = WARN",
                "rootLogger.appenderRef.out.ref = OUT", ""));
        Path output = runDir.resolve("kafka.out");

        JvmCommand jvm = JvmCommand.withHeap("512m").option("-Dlog4j2.configurationFile=" + log4j)
                .classPath(BrokerClassPath.pathProperty("kafka.server.lib").resolve("*").toString());
        ChildProcess formatting = ChildProcess.start("kafka-format", jvm.run("kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString())), output,
                ChildProcess.Echo.NONE);
        try {
            if (formatting.awaitExit(START_TIMEOUT) != 0) {
                throw new IllegalStateException("kafka storage format failed:\n" + formatting.output());
            }
        } catch (TimeoutException e) {
            formatting.stop(Duration.ofSeconds(1));
            throw new IllegalStateException("kafka storage format failed:\n" + formatting.output(), e);
        }
        KafkaBroker broker = new KafkaBroker(ChildProcess.start("kafka",
                jvm.run("kafka.Kafka", List.of(properties.toString())), output, ChildProcess.Echo.NONE), port, listener);
        try {
            broker.awaitReady();
            return broker;
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String output() {
        return child.output();
    }

    @Override
    public void close() {
        ChildBroker.stop(child, Duration.ofSeconds(20));
    }

    /** Polls describeCluster until it lists a node: the broker is registered and unfenced enough to serve. */
    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        props.putAll(listener.clientSettings());
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("kafka exited with " + child.exitValue() + ":\n" + output());
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not listening or not registered yet: poll again until the deadline
                    Thread.sleep(100);
                }
            }
        }
        throw new IllegalStateException("kafka not ready within " + START_TIMEOUT + ":\n" + output());
    }
}
