package io.tributary.broker.it;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.testing.TributaryProcess;
import io.tributary.security.testing.TestCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unmodified kafka-clients 4.4 authenticating with SASL PLAIN and SCRAM, over SASL_SSL and SASL_PLAINTEXT. */
@Timeout(180)
class SaslIT {
    private static final String PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

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
    void scramUsersCreatedThroughTheAdminApiProduceAndConsumeOverSaslSslAndSurviveARestart() throws Exception {
        // Given a SASL_SSL listener with PLAIN (a static admin) and both SCRAM mechanisms
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "SASL_SSL://127.0.0.1:0");
        config.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        config.put("listener.name.sasl_ssl.plain.sasl.jaas.config", PLAIN_JAAS);
        config.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.location", certs.serverKeystore().toString());
        config.put("ssl.keystore.password", TestCertificates.PASSWORD);
        TopicPartition partition = new TopicPartition("scram-topic", 0);
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            assertThat(broker.ignoredKeys()).isEmpty();
            String bootstrap = "127.0.0.1:" + broker.port("SASL_SSL");

            // When the admin creates SCRAM credentials for bob
            try (Admin admin = admin(bootstrap, client("SASL_SSL", "PLAIN", "admin", "admin-secret"))) {
                // (one user once per request, as Kafka's controller requires)
                admin.alterUserScramCredentials(List.of(
                        new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "bob-secret")))
                        .all().get();
                admin.alterUserScramCredentials(List.of(
                        new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "bob-secret")))
                        .all().get();
                UserScramCredentialsDescription bob = admin.describeUserScramCredentials(List.of("bob")).description("bob").get();
                assertThat(bob.credentialInfos()).extracting(ScramCredentialInfo::iterations).containsExactlyInAnyOrder(4096, 8192);
                // Kafka's checks: too few iterations, deleting what does not exist
                assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 100), "x"))).all().get())
                        .hasCauseInstanceOf(UnacceptableCredentialException.class);
                assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("carol",
                        ScramMechanism.SCRAM_SHA_256))).all().get()).hasCauseInstanceOf(ResourceNotFoundException.class);
            }

            // Then bob produces with SCRAM-SHA-512 and reads back with SCRAM-SHA-256
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap,
                    client("SASL_SSL", "SCRAM-SHA-512", "bob", "bob-secret"))) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>(partition.topic(), value(i))).get();
                }
            }
            assertThat(readAll(bootstrap, client("SASL_SSL", "SCRAM-SHA-256", "bob", "bob-secret"), partition, 20))
                    .hasSize(20);

            // And a wrong password is refused
            try (Admin wrong = admin(bootstrap, client("SASL_SSL", "SCRAM-SHA-256", "bob", "not-bob-secret"))) {
                assertThatThrownBy(() -> wrong.describeCluster().nodes().get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }

        // When the broker restarts over the same data directory, bob's credentials are still there
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            String bootstrap = "127.0.0.1:" + broker.port("SASL_SSL");
            assertThat(readAll(bootstrap, client("SASL_SSL", "SCRAM-SHA-512", "bob", "bob-secret"), partition, 20))
                    .extracting(ConsumerRecord::value).first().isEqualTo(value(0));
        }
    }

    @Test
    void clientsReauthenticateWithinConnectionsMaxReauthMsAndAChangedPasswordFailsTheNextReauthentication() throws Exception {
        // Given a SASL_PLAINTEXT listener whose sessions last 1.5 s, and a SCRAM user
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        config.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256");
        config.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS);
        config.put("connections.max.reauth.ms", "1500");
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            assertThat(broker.ignoredKeys()).isEmpty();
            String bootstrap = "127.0.0.1:" + broker.port("SASL_PLAINTEXT");
            try (Admin admin = admin(bootstrap, client("SASL_PLAINTEXT", "PLAIN", "admin", "admin-secret"))) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("dave",
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "dave-secret"))).all().get();

                // When dave's producer keeps producing over one connection for several session lifetimes
                try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap,
                        client("SASL_PLAINTEXT", "SCRAM-SHA-256", "dave", "dave-secret"))) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    int sent = 0;
                    while (metric(producer, "successful-reauthentication-total") < 3 && System.nanoTime() < deadline) {
                        producer.send(new ProducerRecord<>("reauth-topic", value(sent++))).get();
                        Thread.sleep(50);
                    }

                    // Then it re-authenticated each time without a failure or a new connection
                    assertThat(metric(producer, "successful-reauthentication-total")).isGreaterThanOrEqualTo(3);
                    assertThat(metric(producer, "failed-reauthentication-total")).isZero();
                    assertThat(metric(producer, "connection-creation-total")).as("bootstrap + broker connection")
                            .isLessThanOrEqualTo(2);

                    // When dave's password changes, the next re-authentication fails
                    admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("dave",
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "new-dave-secret"))).all().get();
                    deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (metric(producer, "failed-reauthentication-total") < 1 && System.nanoTime() < deadline) {
                        producer.send(new ProducerRecord<>("reauth-topic", value(sent++)));
                        Thread.sleep(50);
                    }
                    assertThat(metric(producer, "failed-reauthentication-total")).isGreaterThanOrEqualTo(1);
                    // its unsendable records need not wait for their delivery timeout
                    producer.close(Duration.ZERO);
                }
            }
        }
    }

    private static double metric(KafkaProducer<?, ?> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    @Test
    void plainOverSaslPlaintextAcceptsAStaticUserAndRefusesAWrongPassword() throws Exception {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        config.put("sasl.enabled.mechanisms", "PLAIN");
        config.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS);
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            String bootstrap = "127.0.0.1:" + broker.port("SASL_PLAINTEXT");

            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap,
                    client("SASL_PLAINTEXT", "PLAIN", "alice", "alice-secret"))) {
                producer.send(new ProducerRecord<>("plain-topic", value(1))).get();
            }
            try (Admin wrong = admin(bootstrap, client("SASL_PLAINTEXT", "PLAIN", "alice", "admin-secret"));
                 Admin unknown = admin(bootstrap, client("SASL_PLAINTEXT", "PLAIN", "mallory", "alice-secret"))) {
                for (Admin admin : List.of(wrong, unknown)) {
                    assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                            .isInstanceOf(ExecutionException.class)
                            .cause().isInstanceOf(SaslAuthenticationException.class)
                            .hasMessageContaining("Invalid username or password");
                }
            }
            // A SCRAM client on a PLAIN-only listener learns which mechanisms there are
            try (Admin scram = admin(bootstrap, client("SASL_PLAINTEXT", "SCRAM-SHA-256", "alice", "alice-secret"))) {
                assertThatThrownBy(() -> scram.describeCluster().nodes().get())
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("SCRAM-SHA-256");
            }
        }
    }

    @Test
    void aSaslListenerWithKafkasDefaultMechanismStopsStartupNamingTheKey() {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");

        assertThatThrownBy(() -> Broker.start(BrokerConfig.of(config)).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sasl.enabled.mechanisms").hasMessageContaining("GSSAPI");
    }

    private static byte[] value(int i) {
        return ("sasl-record-" + i).getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Object> client(String protocol, String mechanism, String user, String password) {
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", protocol);
        p.put("sasl.mechanism", mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        p.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        if (protocol.equals("SASL_SSL")) {
            p.put("ssl.truststore.location", certs.clientTruststore().toString());
            p.put("ssl.truststore.password", TestCertificates.PASSWORD);
            p.put("ssl.truststore.type", "JKS");
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
                                                                TopicPartition partition, int count) {
        Map<String, Object> p = new HashMap<>(settings);
        p.put("bootstrap.servers", bootstrap);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }
}
