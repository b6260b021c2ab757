package io.tributary.transactions.client;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientSecurityTest {

    @Test
    void readsUsernameAndPasswordFromAJaasLineAsKafkaClientsWriteIt() {
        ClientSecurity security = ClientSecurity.from(props("SASL_PLAINTEXT", "SCRAM-SHA-512",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"al ice\" "
                        + "password=\"p\\\"w;d\";"));

        assertThat(security.sasl()).isTrue();
        assertThat(security.mechanism).isEqualTo("SCRAM-SHA-512");
        assertThat(security.username).isEqualTo("al ice");
        assertThat(security.password).isEqualTo("p\"w;d");
    }

    @Test
    void refusesWhatItCannotDo() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"a\" password=\"b\";";
        assertThatThrownBy(() -> ClientSecurity.from(props("SASL_SSL", "GSSAPI", jaas)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GSSAPI");
        assertThatThrownBy(() -> ClientSecurity.from(props("SASL_PLAINTEXT", "PLAIN",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"a\";")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> ClientSecurity.from(props("SSH", "PLAIN", jaas)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("security.protocol");
        Properties missingStore = props("SSL", null, null);
        missingStore.put("ssl.truststore.location", "/nonexistent/truststore.jks");
        assertThatThrownBy(() -> ClientSecurity.from(missingStore))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ssl.");
    }

    private static Properties props(String protocol, String mechanism, String jaas) {
        Properties props = new Properties();
        props.put("security.protocol", protocol);
        if (mechanism != null) {
            props.put("sasl.mechanism", mechanism);
        }
        if (jaas != null) {
            props.put("sasl.jaas.config", jaas);
        }
        return props;
    }
}
