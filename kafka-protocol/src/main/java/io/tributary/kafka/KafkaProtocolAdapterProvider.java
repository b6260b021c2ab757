package io.tributary.kafka;

import io.tributary.spi.BrokerServices;
import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapter;
import io.tributary.spi.ProtocolAdapterProvider;

import java.util.Locale;

/** The {@code kafka} protocol, for PLAINTEXT listeners (TLS and SASL are not built yet). */
public final class KafkaProtocolAdapterProvider implements ProtocolAdapterProvider {
    public static final String PROTOCOL = "kafka";

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public boolean supports(ListenerConfig listener) {
        return "PLAINTEXT".equals(listener.securityProtocol().toUpperCase(Locale.ROOT));
    }

    @Override
    public ProtocolAdapter create(ListenerConfig listener, BrokerServices services) {
        return new KafkaProtocolAdapter(listener, services);
    }
}
