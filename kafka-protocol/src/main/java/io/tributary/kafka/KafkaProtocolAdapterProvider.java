package io.tributary.kafka;

import io.tributary.spi.BrokerServices;
import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapter;
import io.tributary.spi.ProtocolAdapterProvider;

import io.tributary.security.tls.TlsConfig;

import java.util.Set;

/** The {@code kafka} protocol, for PLAINTEXT and SSL listeners. */
public final class KafkaProtocolAdapterProvider implements ProtocolAdapterProvider {
    public static final String PROTOCOL = "kafka";

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public boolean supports(ListenerConfig listener) {
        return SecurityProtocol.of(listener.securityProtocol()) != null;
    }

    /** Kafka's {@code ssl.*} keys; each may also be given per listener as {@code listener.name.<name>.ssl.*}. */
    @Override
    public Set<String> configKeys() {
        return TlsConfig.KEYS;
    }

    @Override
    public ProtocolAdapter create(ListenerConfig listener, BrokerServices services) {
        return new KafkaProtocolAdapter(listener, services);
    }
}
