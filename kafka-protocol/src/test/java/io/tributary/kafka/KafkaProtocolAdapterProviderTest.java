package io.tributary.kafka;

import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapterProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class KafkaProtocolAdapterProviderTest {
    @Test
    void foundByServiceLoaderForKafkasFourSecurityProtocols() {
        ProtocolAdapterProvider provider = ServiceLoader.load(ProtocolAdapterProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.protocol().equals("kafka")).findFirst().orElseThrow();
        assertThat(provider).isInstanceOf(KafkaProtocolAdapterProvider.class);
        assertThat(provider.supports(new ListenerConfig("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 0, null, 0))).isTrue();
        assertThat(provider.supports(new ListenerConfig("CLIENTS", "ssl", "127.0.0.1", 0, null, 0))).isTrue();
        assertThat(provider.configKeys()).contains("ssl.keystore.location", "ssl.client.auth");
        assertThat(provider.supports(new ListenerConfig("SASL", "SASL_PLAINTEXT", "127.0.0.1", 0, null, 0))).isTrue();
        assertThat(provider.supports(new ListenerConfig("SASL_SSL", "SASL_SSL", "127.0.0.1", 0, null, 0))).isTrue();
        assertThat(provider.supports(new ListenerConfig("FAKE", "FAKE", "127.0.0.1", 0, null, 0))).isFalse();
    }
}
