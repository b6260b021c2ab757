package io.tributary.perf.transport.jms;

import io.tributary.perf.transport.Transport;
import io.tributary.perf.transport.TransportProvider;
import io.tributary.perf.transport.kafka.KafkaTransportProvider;

import java.util.Map;

/**
 * {@code --transport jms}: records are sent as {@code BytesMessage}s by the Tributary JMS provider and
 * received by JMS topic subscribers. {@code --transport-prop name=value} become the provider's URL options
 * ({@code tributary://bootstrap?name=value}).
 */
public final class JmsTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return "jms";
    }

    @Override
    public Transport open(String bootstrap, Map<String, String> properties) {
        return new JmsTransport(bootstrap, properties, new KafkaTransportProvider().open(bootstrap, Map.of()));
    }
}
