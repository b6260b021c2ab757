package io.tributary.kafka;

import io.tributary.spi.BrokerServices;
import io.tributary.spi.ListenerConfig;
import io.tributary.spi.ProtocolAdapter;
import io.tributary.spi.ProtocolAdapterProvider;

import io.tributary.security.sasl.SaslMechanisms;
import io.tributary.security.tls.TlsConfig;

import java.util.Set;

/** The {@code kafka} protocol, for PLAINTEXT, SSL, SASL_PLAINTEXT and SASL_SSL listeners. */
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

    /**
     * Kafka's {@code ssl.*} and {@code sasl.*} keys; each may also be given per listener as
     * {@code listener.name.<name>.<key>}.
     */
    @Override
    public Set<String> configKeys() {
        Set<String> keys = new java.util.HashSet<>(TlsConfig.KEYS);
        keys.addAll(SaslMechanisms.KEYS);
        keys.addAll(io.tributary.security.acl.Authorizer.KEYS);
        keys.addAll(io.tributary.security.limits.ConnectionQuota.KEYS);
        keys.addAll(io.tributary.security.quota.ClientQuotas.KEYS);
        return Set.copyOf(keys);
    }

    @Override
    public ProtocolAdapter create(ListenerConfig listener, BrokerServices services) {
        return new KafkaProtocolAdapter(listener, services);
    }
}
