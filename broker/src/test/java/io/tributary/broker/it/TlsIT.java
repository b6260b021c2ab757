package io.tributary.broker.it;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.testing.TributaryProcess;
import io.tributary.security.testing.TestCertificates;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unmodified kafka-clients over TLS listeners configured with Kafka's own keys. */
@Timeout(120)
class TlsIT {
    @TempDir
    static Path certDir;
    static TestCertificates certs;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(certDir);
    }

    @Test
    void producerAndConsumerRoundTripOverSslBesideAPlaintextListener() throws Exception {
        // Given a broker with a PLAINTEXT and an SSL listener (PKCS12 key store)
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0");
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.location", certs.serverKeystore().toString());
        config.put("ssl.keystore.password", TestCertificates.PASSWORD);
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            String ssl = "127.0.0.1:" + broker.port("SSL");
            TopicPartition partition = new TopicPartition("over-tls", 0);

            // When records larger than one TLS record are produced over SSL
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(ssl, sslClient(false))) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>(partition.topic(), value(i))).get();
                }
            }

            // Then a consumer over SSL (fetch bytes read from the segment, then encrypted) and one over
            // PLAINTEXT (zero copy) read the same records
            List<ConsumerRecord<byte[], byte[]>> overSsl = readAll(ssl, sslClient(false), partition);
            List<ConsumerRecord<byte[], byte[]>> overPlaintext = Clients.readAll(
                    "127.0.0.1:" + broker.port("PLAINTEXT"), partition, Duration.ofSeconds(60));
            assertThat(overSsl).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(overSsl.get(i).value()).isEqualTo(value(i));
                assertThat(overPlaintext.get(i).value()).isEqualTo(value(i));
            }
        }
    }

    @Test
    void requiredClientAuthOnANamedListenerRefusesAClientWithoutCertificate() throws Exception {
        // Given a listener named CLIENTS mapped to SSL, its keys given per listener, client auth required
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "CLIENTS://127.0.0.1:0");
        config.put("listener.security.protocol.map", "CLIENTS:SSL");
        config.put("listener.name.clients.ssl.keystore.type", "PEM");
        config.put("listener.name.clients.ssl.keystore.key", certs.serverKeyAndCertificatePem());
        config.put("listener.name.clients.ssl.truststore.type", "PKCS12");
        config.put("listener.name.clients.ssl.truststore.location", certs.serverTruststore().toString());
        config.put("listener.name.clients.ssl.truststore.password", TestCertificates.PASSWORD);
        config.put("listener.name.clients.ssl.client.auth", "required");
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            assertThat(broker.ignoredKeys()).isEmpty();
            String bootstrap = "127.0.0.1:" + broker.port("CLIENTS");

            // When a client with a trusted certificate and one without ask for the cluster
            try (Admin trusted = admin(bootstrap, sslClient(true)); Admin anonymous = admin(bootstrap, sslClient(false))) {
                // Then the first is served and the second fails its TLS handshake
                assertThat(trusted.describeCluster().nodes().get()).hasSize(1);
                assertThatThrownBy(() -> anonymous.describeCluster().nodes().get())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SslAuthenticationException.class);
            }
        }
    }

    @Test
    void aKeystoreThatCannotBeReadStopsStartupNamingTheListener() {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "SSL://127.0.0.1:0");
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.location", certs.serverKeystore().toString());
        config.put("ssl.keystore.password", "not-the-password");

        assertThatThrownBy(() -> Broker.start(BrokerConfig.of(config)).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("listener SSL: cannot set up TLS");
    }

    private static byte[] value(int i) {
        return ("record-" + i + "-" + "x".repeat(40_000)).getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Object> sslClient(boolean withCertificate) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certs.clientTruststore().toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "JKS");
        if (withCertificate) {
            p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, certs.clientKeystore().toString());
            p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
            p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "JKS");
        }
        return p;
    }

    private static Admin admin(String bootstrap, Map<String, Object> settings) {
        Map<String, Object> p = new HashMap<>(settings);
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", 10_000);
        p.put("default.api.timeout.ms", 15_000);
        return Admin.create(p);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, Map<String, Object> settings,
                                                                TopicPartition partition) {
        Map<String, Object> p = new HashMap<>(settings);
        p.put("bootstrap.servers", bootstrap);
        p.put("check.crcs", true);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < 50 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }
}
