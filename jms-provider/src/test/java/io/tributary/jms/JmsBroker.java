package io.tributary.jms;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A broker in this JVM on {@code 127.0.0.1:0} over a fresh data directory, for one test class (register it as a
 * static {@code @RegisterExtension} field); the provider reaches it over loopback TCP like any application.
 * The data directory is kept when a test failed. Share groups may set {@code share.record.lock.duration.ms} down to
 * 1 s (the broker's default minimum is 15 s).
 */
public final class JmsBroker implements BeforeAllCallback, AfterAllCallback {
    private Broker broker;
    private Path dataDir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("tributary-jms-it-");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", "PLAINTEXT://127.0.0.1:0");
        config.put("log.dirs", dataDir.toString());
        // lets a test shorten one group's share.record.lock.duration.ms (default 30 s) to watch locks expire
        config.put("group.share.min.record.lock.duration.ms", "1000");
        broker = Broker.start(BrokerConfig.of(config));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (context.getExecutionException().isPresent()) {
            System.out.println("[" + context.getDisplayName() + "] failed; kept " + dataDir);
        } else if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.out.println("could not delete " + dataDir + ": " + e);
            }
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** How many times the broker has fsynced partition 0 of {@code topic} (the log's own count). */
    public long flushCount(String topic) {
        return broker.log().topic(topic).orElseThrow().partition(0).flushCount();
    }

    public TributaryConnectionFactory factory() {
        return new TributaryConnectionFactory(bootstrapServers());
    }
}
