package io.tributary.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs one scenario against every broker of a {@link BrokerPair} and compares what the client saw, plus the
 * client factories the scenarios share.
 */
final class Differential {
    private Differential() {
    }

    /** One scenario: what the client saw from {@code broker}, as an {@link Outcome} string. */
    @FunctionalInterface
    interface Scenario {
        String run(ChildBroker broker, Admin admin);
    }

    /**
     * Runs {@code scenario} against Kafka, then Tributary (each with its own Admin from {@code admins}, keyed by
     * broker name), and asserts Kafka's outcome equals {@code expected} (so that a wrong expectation shows as
     * such) and Tributary's equals Kafka's.
     */
    static void assertSameAs(String expected, BrokerPair brokers, Map<String, Admin> admins, Scenario scenario) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (ChildBroker broker : brokers.both()) {
            outcomes.put(broker.name(), scenario.run(broker, admins.get(broker.name())));
        }
        assertThat(outcomes.get("kafka")).as("kafka (tributary saw: %s)", outcomes.get("tributary"))
                .isEqualTo(expected);
        assertThat(outcomes.get("tributary")).as("tributary (kafka saw: %s)", outcomes.get("kafka"))
                .isEqualTo(outcomes.get("kafka"));
    }

    /**
     * One Admin per broker, keyed by broker name; 10 s request and 15 s API timeouts, with the pair's
     * {@linkplain BrokerPair#listener listener} settings.
     */
    static Map<String, Admin> admins(BrokerPair brokers) {
        Map<String, Admin> admins = new LinkedHashMap<>();
        for (ChildBroker broker : brokers.both()) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
            props.putAll(brokers.listener().clientSettings());
            admins.put(broker.name(), Admin.create(props));
        }
        return admins;
    }

    /** Creates {@code topic} with {@code partitions} partitions and replication factor 1. */
    static void createTopic(Admin admin, String topic, int partitions) throws Exception {
        createTopic(admin, new NewTopic(topic, partitions, (short) 1));
    }

    /**
     * Creates {@code topic} and waits until the broker's metadata shows it. Kafka answers CreateTopics once the
     * controller has committed the topic, but the broker that serves the next request may not have applied that
     * record yet, so a DescribeConfigs or Produce sent at once can still see UNKNOWN_TOPIC_OR_PARTITION.
     */
    static CreateTopicsResult createTopic(Admin admin, NewTopic topic) throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(topic));
        result.all().get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                admin.describeTopics(List.of(topic.name())).allTopicNames().get();
                return result;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** A byte-array producer with bounded timeouts and {@code extra} settings on top. */
    static KafkaProducer<byte[], byte[]> producer(ChildBroker broker, Map<String, String> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }

    /** Writes {@code count} 8-byte records to partition 0 of {@code topic}, one acknowledged send at a time. */
    static void produce(ChildBroker broker, String topic, int count) throws Exception {
        produce(broker, topic, count, Map.of());
    }

    /** As {@link #produce(ChildBroker, String, int)}, with {@code extra} producer settings (a login, say). */
    static void produce(ChildBroker broker, String topic, int count, Map<String, String> extra) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(broker, extra)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[8])).get();
            }
        }
    }
}
