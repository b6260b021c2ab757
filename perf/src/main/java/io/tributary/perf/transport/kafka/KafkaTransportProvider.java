package io.tributary.perf.transport.kafka;

import io.tributary.perf.transport.Transport;
import io.tributary.perf.transport.TransportProvider;
import java.util.Map;

/** {@code --transport kafka}: the Kafka wire protocol through kafka-clients. */
public final class KafkaTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Transport open(String bootstrap, Map<String, String> properties) {
        return new KafkaTransport(bootstrap, properties);
    }
}
