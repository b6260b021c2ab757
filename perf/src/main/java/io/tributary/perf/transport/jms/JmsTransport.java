package io.tributary.perf.transport.jms;

import io.tributary.jms.TributaryConnectionFactory;
import io.tributary.perf.transport.ConsumerDriver;
import io.tributary.perf.transport.ConsumerSettings;
import io.tributary.perf.transport.ProducerDriver;
import io.tributary.perf.transport.ProducerSettings;
import io.tributary.perf.transport.Transport;
import io.tributary.perf.transport.TransportException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JMS transport: each producer and consumer driver has its own connection and session, as JMS
 * applications usually do. Of the producer settings only {@code acks} and {@code lingerMs} (the provider's
 * {@code lingerMs} option) apply; {@code acks=0} sends NON_PERSISTENT, otherwise PERSISTENT with a CompletionListener.
 * A consumer is a non-durable topic subscriber (no group) or a durable subscription named by the group
 * (one member only: several members of one subscription need shared subscriptions, i.e. queues);
 * either starts at the end of the topic.
 */
final class JmsTransport implements Transport {
    private final String url;
    private final Transport admin;

    JmsTransport(String bootstrap, Map<String, String> properties, Transport admin) {
        this.admin = admin;
        String query = properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        this.url = "tributary://" + bootstrap + (query.isEmpty() ? "" : "?" + query);
    }

    TributaryConnectionFactory factory() {
        return new TributaryConnectionFactory(url);
    }

    /** A factory whose producer batches as {@code settings} ask (Kafka's {@code linger.ms}). */
    private TributaryConnectionFactory factory(ProducerSettings settings) {
        TributaryConnectionFactory factory = factory();
        factory.setLingerMs(settings.lingerMs());
        return factory;
    }

    @Override
    public void ensureTopic(String topic, int partitions, Duration timeout) {
        admin.ensureTopic(topic, partitions, timeout);
    }

    @Override
    public int partitionCount(String topic, Duration timeout) {
        return admin.partitionCount(topic, timeout);
    }

    @Override
    public ProducerDriver producer(ProducerSettings settings) {
        return new JmsProducerDriver(factory(settings), settings);
    }

    @Override
    public ConsumerDriver consumer(ConsumerSettings settings) {
        if (settings.start() == ConsumerSettings.StartPosition.EARLIEST) {
            throw new TransportException("a JMS subscription starts at the end of the topic; it cannot read from"
                    + " the earliest offset", null);
        }
        if (settings.memberCount() > 1) {
            throw new TransportException("several JMS consumers sharing one topic need shared subscriptions"
                    + " (queues), which the provider does not support yet; use one consumer", null);
        }
        return new JmsConsumerDriver(factory(), settings);
    }

    @Override
    public void close() {
        admin.close();
    }
}
