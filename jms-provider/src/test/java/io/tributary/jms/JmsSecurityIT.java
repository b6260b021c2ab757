package io.tributary.jms;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.security.testing.TestCertificates;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider over a {@code SASL_SSL} listener: {@code user}/{@code password} become SASL PLAIN and the
 * {@code kafka.}-prefixed options the TLS trust settings of the kafka-clients inside it.
 */
@Timeout(120)
class JmsSecurityIT {
    @TempDir
    Path certDir;
    @TempDir
    Path dataDir;

    @Test
    void aUserWithItsPasswordSendsAndReceivesOverSaslSslAndAWrongPasswordCannotConnect() throws Exception {
        TestCertificates certs = TestCertificates.create(certDir);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", "SASL_SSL://127.0.0.1:0");
        config.put("log.dirs", dataDir.toString());
        config.put("sasl.enabled.mechanisms", "PLAIN");
        config.put("listener.name.sasl_ssl.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required user_alice=\"alice-secret\";");
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.location", certs.serverKeystore().toString());
        config.put("ssl.keystore.password", TestCertificates.PASSWORD);
        try (Broker broker = Broker.start(BrokerConfig.of(config))) {
            String url = "tributary://127.0.0.1:" + broker.port("SASL_SSL") + "?kafka.security.protocol=SASL_SSL"
                    + "&kafka.ssl.truststore.type=JKS"
                    + "&kafka.ssl.truststore.location=" + URLEncoder.encode(certs.clientTruststore().toString(), StandardCharsets.UTF_8)
                    + "&kafka.ssl.truststore.password=" + TestCertificates.PASSWORD + "&sendTimeoutMs=10000";
            TributaryConnectionFactory factory = new TributaryConnectionFactory(url);

            try (JMSContext context = factory.createContext("alice", "alice-secret")) {
                Topic topic = context.createTopic("secure-topic");
                JMSConsumer consumer = context.createConsumer(topic);
                context.createProducer().send(topic, "over SASL_SSL");
                assertThat(consumer.receiveBody(String.class, 30_000)).isEqualTo("over SASL_SSL");
            }

            assertThatThrownBy(() -> factory.createConnection("alice", "not-alice-secret").close())
                    .isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> factory.createContext("alice", "not-alice-secret").close())
                    .isInstanceOf(JMSRuntimeException.class);
        }
    }
}
