package io.tributary.jms;

import jakarta.jms.JMSException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionOptionsTest {
    @Test
    void bootstrapServersAreTakenAsKafkaWritesThem() throws JMSException {
        ConnectionOptions options = ConnectionOptions.parse("127.0.0.1:9092,localhost:9093");
        assertThat(options.bootstrapServers()).isEqualTo("127.0.0.1:9092,localhost:9093");
        assertThat(options.reconnect()).isFalse();
        assertThat(options.failureDetectionMs()).isEqualTo(ConnectionOptions.DEFAULT_FAILURE_DETECTION_MS);
        assertThat(options.sendTimeoutMs()).isEqualTo(ConnectionOptions.DEFAULT_SEND_TIMEOUT_MS);
    }

    @Test
    void aTributaryUrlCarriesOptions() throws JMSException {
        ConnectionOptions options = ConnectionOptions.parse(
                "tributary://h1:1,h2:2/?clientId=app%201&user=u&password=p&reconnect=true&failureDetectionMs=500&sendTimeoutMs=900&lingerMs=2");
        assertThat(options).isEqualTo(new ConnectionOptions("h1:1,h2:2", "app 1", "u", "p", true, 500, 900, 2));
    }

    @Test
    void userAndPasswordBecomeSaslAndKafkaPrefixedOptionsPassToTheClientsWhateverTheOrder() throws JMSException {
        ConnectionOptions options = ConnectionOptions.parse("tributary://h:1?kafka.security.protocol=SASL_SSL"
                + "&user=al%22ice&kafka.sasl.mechanism=SCRAM-SHA-512&lingerMs=3&kafka.ssl.truststore.location=%2Ft.jks")
                .with("password", "p\\w");

        assertThat(options.lingerMs()).isEqualTo(3);
        assertThat(options.kafkaClientConfig())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/t.jks")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"al\\\"ice\" password=\"p\\\\w\";");
        assertThat(ConnectionOptions.parse("h:1").with("user", "u").with("password", "p").kafkaClientConfig())
                .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(ConnectionOptions.parse("h:1").kafkaClientConfig()).isEmpty();
    }

    @Test
    void producersBatchUpTo256KiBUnlessTheUrlSaysOtherwise() throws JMSException {
        assertThat(TributaryConnection.producerConfig(ConnectionOptions.parse("h:1"), "c"))
                .containsEntry("batch.size", 256 * 1024).containsEntry("acks", "all").containsEntry("client.id", "c");
        assertThat(TributaryConnection.producerConfig(ConnectionOptions.parse("tributary://h:1?kafka.batch.size=16384"), "c"))
                .containsEntry("batch.size", "16384");
    }

    @Test
    void factorySettersOverrideTheUrl() throws JMSException {
        TributaryConnectionFactory factory = new TributaryConnectionFactory();
        factory.setBrokerURL("tributary://h:1?clientId=a");
        factory.setClientID("b");
        factory.setReconnect(true);
        assertThat(factory.options().clientId()).isEqualTo("b");
        assertThat(factory.options().reconnect()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "h:", ":9092", "h:x", "tcp://h:1", "tributary://h:1?bogus=1",
            "tributary://h:1?reconnect=maybe", "tributary://h:1?failureDetectionMs=0", "tributary://h:1?lingerMs=-1", "tributary://h:1?clientId"})
    void malformedUrlsAreRefusedWithTheReason(String url) {
        assertThatThrownBy(() -> ConnectionOptions.parse(url)).isInstanceOf(JMSException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void aFactoryWithoutUrlSaysSo() {
        assertThatThrownBy(() -> new TributaryConnectionFactory().createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining("no broker URL");
    }
}
