package io.tributary.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker's wiring, over the real log and pipeline and a fake protocol module. */
@Timeout(30)
class BrokerTest {

    private static BrokerConfig config(Path dir, String... extra) {
        Map<String, String> map = new java.util.HashMap<>(Map.of("listeners", "FAKE://127.0.0.1:0", "log.dirs", dir.toString()));
        for (String pair : extra) {
            map.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return BrokerConfig.of(map);
    }

    @Test
    void startBindsListenersAndHandsAdaptersTheServices(@TempDir Path dir) throws Exception {
        // When
        try (Broker broker = Broker.start(config(dir, "node.id=4", "num.partitions=3"))) {
            // Then
            assertThat(broker.port("FAKE")).isPositive();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port("FAKE"));
            FakeProtocolProvider.Adapter adapter = FakeProtocolProvider.CREATED.get(FakeProtocolProvider.CREATED.size() - 1);
            assertThat(adapter.services.settings().clusterId()).isEqualTo(broker.clusterId());
            assertThat(adapter.services.settings().nodeId()).isEqualTo(4);
            assertThat(adapter.services.settings().numPartitions()).isEqualTo(3);
            assertThat(adapter.services.log()).isSameAs(broker.log());
            assertThat(dir.resolve("meta.properties")).content().contains("node.id=4");
        }
    }

    @Test
    void closeStopsListenersAndLeavesTheCleanShutdownMarker(@TempDir Path dir) throws Exception {
        // Given
        Broker broker = Broker.start(config(dir));
        FakeProtocolProvider.Adapter adapter = FakeProtocolProvider.CREATED.get(FakeProtocolProvider.CREATED.size() - 1);

        // When
        broker.close();
        broker.close();

        // Then
        assertThat(adapter.closed).isTrue();
        assertThat(dir.resolve("clean-shutdown")).exists();
    }

    @Test
    void clusterIdSurvivesARestart(@TempDir Path dir) throws Exception {
        String first;
        try (Broker broker = Broker.start(config(dir))) {
            first = broker.clusterId();
        }
        try (Broker broker = Broker.start(config(dir))) {
            assertThat(broker.clusterId()).isEqualTo(first);
        }
    }

    @Test
    void aTakenPortFailsBeforeTheDataDirectoryIsCreated(@TempDir Path parent) throws Exception {
        // Given a port in use and a data directory that does not exist yet
        Path dir = parent.resolve("data");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // When
            BrokerConfig config = BrokerConfig.of(Map.of("listeners", "FAKE://127.0.0.1:" + taken.getLocalPort(),
                    "log.dirs", dir.toString()));

            // Then
            assertThatThrownBy(() -> Broker.start(config))
                    .hasMessageContaining("cannot bind listener FAKE://127.0.0.1:" + taken.getLocalPort());
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void aFailedStartRemovesTheDataDirectoryItCreatedButNoOther(@TempDir Path parent) throws Exception {
        // Given a listener no protocol module serves
        Path fresh = parent.resolve("fresh");
        Path existing = java.nio.file.Files.createDirectories(parent.resolve("existing"));
        Map<String, String> keys = Map.of("listeners", "NOBODY://127.0.0.1:0");

        // When both fail to start
        assertThatThrownBy(() -> Broker.start(with(keys, fresh))).hasMessageContaining("no protocol module");
        assertThatThrownBy(() -> Broker.start(with(keys, existing))).hasMessageContaining("no protocol module");

        // Then the directory the start created is gone, the one that was there stays
        assertThat(fresh).doesNotExist();
        assertThat(existing).isDirectory();
    }

    private static BrokerConfig with(Map<String, String> keys, Path dir) {
        Map<String, String> all = new java.util.HashMap<>(keys);
        all.put("log.dirs", dir.toString());
        return BrokerConfig.of(all);
    }

    @Test
    void anotherNodeIdOnTheSameDirectoryIsRefused(@TempDir Path dir) throws Exception {
        Broker.start(config(dir, "node.id=1")).close();

        assertThatThrownBy(() -> Broker.start(config(dir, "node.id=2")))
                .hasMessageContaining("node.id 2 does not match node.id 1");
    }

    @Test
    void aSecondBrokerOnAnOpenDirectoryIsRefused(@TempDir Path dir) throws Exception {
        try (Broker broker = Broker.start(config(dir))) {
            assertThatThrownBy(() -> Broker.start(config(dir))).hasMessageContaining("already open");
        }
    }

    @Test
    void unknownKeysAreWarnedAboutUnlessAProtocolModuleReadsThem(@TempDir Path dir) throws Exception {
        // Given
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger brokerLogger = (Logger) LoggerFactory.getLogger(Broker.class);
        brokerLogger.addAppender(logs);
        try {
            // When
            Broker.start(config(dir, "fake.setting=1", "log.retention.hour=5")).close();

            // Then
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("Unknown configuration key 'log.retention.hour' is ignored (did you mean 'log.retention.hours'?)");
        } finally {
            brokerLogger.detachAppender(logs);
        }
    }

    @Test
    void aListenerNoModuleServesStopsStartupAndReleasesTheDirectory(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Broker.start(config(dir, "listeners=NOPE://127.0.0.1:0")))
                .hasMessageContaining("no protocol module serves listener NOPE://127.0.0.1:0");

        // the failed start released everything: a good start on the same directory works
        Broker.start(config(dir)).close();
    }
}
