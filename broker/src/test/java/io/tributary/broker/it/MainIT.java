package io.tributary.broker.it;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code io.tributary.broker.Main} as a real process: startup line, SIGTERM, configuration errors. */
@ExtendWith(TributaryExtension.class)
@Timeout(90)
class MainIT {

    @Test
    void sigtermShutsDownCleanly(BrokerProcesses brokers) throws Exception {
        // Given a running broker that has stored a record
        BrokerProcess broker = brokers.start();
        broker.awaitStarted(Duration.ofSeconds(30));
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            producer.send(new ProducerRecord<>("t", new byte[]{1})).get(15, TimeUnit.SECONDS);
        }
        assertThat(Files.exists(brokers.dataDir().resolve("clean-shutdown"))).isFalse();

        // When it gets SIGTERM
        broker.terminate();
        int exit = broker.awaitExit(Duration.ofSeconds(30));

        // Then it exits as a JVM does on SIGTERM, after saying so, and leaves the clean-shutdown marker
        assertThat(exit).isIn(0, 143);
        assertThat(broker.output()).anyMatch(l -> l.contains("Shutdown complete"));
        assertThat(brokers.dataDir().resolve("clean-shutdown")).exists();
        assertThat(brokers.dataDir().resolve("meta.properties")).content().contains("node.id=1", "cluster.id=");
    }

    @Test
    void badValueStopsStartupNamingTheKey(BrokerProcesses brokers) throws Exception {
        // When
        BrokerProcess broker = brokers.start("log.flush.policy=sometimes");

        // Then
        assertThat(broker.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(broker.output()).anyMatch(l -> l.contains("log.flush.policy") && l.contains("one of [async, sync]"));
    }

    @Test
    void unknownKeyIsWarnedAboutWithASuggestion(BrokerProcesses brokers) throws Exception {
        // When
        BrokerProcess broker = brokers.start("num.partition=3");
        broker.awaitStarted(Duration.ofSeconds(30));

        // Then
        assertThat(broker.output()).anyMatch(l -> l.contains("WARN") && l.contains("'num.partition'")
                && l.contains("did you mean 'num.partitions'"));
    }

    @Test
    void secondBrokerOnTheSameDirectoryIsRefused(BrokerProcesses brokers) throws Exception {
        // Given
        brokers.start().awaitStarted(Duration.ofSeconds(30));

        // When
        BrokerProcess second = brokers.start();

        // Then
        assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(second.output()).anyMatch(l -> l.contains("in use by another broker"));
    }

    @Test
    void badArgumentsPrintUsage(BrokerProcesses brokers) throws Exception {
        BrokerProcess broker = brokers.startWithArgs("--overide", "a=b");

        assertThat(broker.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(broker.output()).anyMatch(l -> l.contains("unknown option --overide"))
                .anyMatch(l -> l.contains("usage: tributary"));
    }

    @Test
    void helpPrintsUsageAndExitsWithoutStarting(BrokerProcesses brokers) throws Exception {
        BrokerProcess broker = brokers.startWithArgs("--help");

        assertThat(broker.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(broker.output()).anyMatch(l -> l.contains("usage: tributary"))
                .anyMatch(l -> l.contains("--override key=value"))
                .noneMatch(l -> l.contains("Tributary started"));
    }

    @Test
    void aSettingWithoutOverrideIsNamedAsSuch(BrokerProcesses brokers) throws Exception {
        BrokerProcess broker = brokers.startWithArgs("listeners=PLAINTEXT://127.0.0.1:9093");

        assertThat(broker.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(broker.output()).anyMatch(l -> l.contains("write --override listeners=PLAINTEXT://127.0.0.1:9093"));
    }

    @Test
    void aTakenPortIsOneLineAndLeavesNoDataDirectory(BrokerProcesses brokers) throws Exception {
        // Given a port another process listens on, and a data directory that does not exist yet
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path fresh = brokers.dataDir().resolveSibling(brokers.dataDir().getFileName() + "-fresh");

            // When a broker is started on it
            BrokerProcess broker = brokers.start("listeners=PLAINTEXT://127.0.0.1:" + taken.getLocalPort(),
                    "log.dirs=" + fresh);

            // Then it exits with one ERROR line that names the listener and the fix, no stack trace, and no directory
            assertThat(broker.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(broker.output()).filteredOn(l -> l.contains("ERROR")).singleElement()
                    .satisfies(l -> assertThat(l).contains("cannot bind listener PLAINTEXT://127.0.0.1:"
                            + taken.getLocalPort()).contains("choose another port"));
            assertThat(broker.output()).noneMatch(l -> l.trim().startsWith("at "));
            assertThat(fresh).doesNotExist();
        }
    }

    @Test
    void unknownKeysAreRepeatedAfterTheStartLine(BrokerProcesses brokers) throws Exception {
        // When
        BrokerProcess broker = brokers.start("num.partition=3");
        broker.awaitStarted(Duration.ofSeconds(30));

        // Then the last word of the start is the ignored key, not an INFO line
        assertThat(broker.awaitLine("ignored because nothing reads them", Duration.ofSeconds(30))).isTrue();
        assertThat(broker.output()).anyMatch(l -> l.contains("WARN") && l.contains("1 configuration key(s) ignored")
                && l.contains("'num.partition' (did you mean 'num.partitions'?)"));
    }
}
