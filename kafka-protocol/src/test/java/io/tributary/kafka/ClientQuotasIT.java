package io.tributary.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client quotas set with kafka-clients' Admin and enforced on kafka-clients 4.4 producers and
 * consumers: a client over its byte rate is slowed to about the rate and told so in
 * {@code throttle_time_ms} (its own {@code *-throttle-time-max} metric), not disconnected; removing the
 * quota lifts it. Quota windows are shortened (2 × 1 s) so that the burst a fresh client may send
 * before it is throttled stays small.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientQuotasIT {
    private static final int RATE = 200 * 1024;
    private static final int RECORD = 10 * 1024;
    private static final int RECORDS = 120;

    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(dir, Map.of("quota.window.num", "2", "quota.window.size.seconds", "1"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void quotasAreAlteredDescribedWithKafkasFiltersAndValidated() throws Exception {
        try (Admin admin = admin()) {
            ClientQuotaEntity alice = entity("user", "alice");
            ClientQuotaEntity aliceApp = entity("user", "alice", "client-id", "app");
            ClientQuotaEntity defaultClient = entity("client-id", null);
            admin.alterClientQuotas(List.of(
                    new ClientQuotaAlteration(alice, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1e6),
                            new ClientQuotaAlteration.Op("request_percentage", 50.0))),
                    new ClientQuotaAlteration(aliceApp, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 2e6))),
                    new ClientQuotaAlteration(defaultClient, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 3e6)))))
                    .all().get();

            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get())
                    .containsOnlyKeys(alice, aliceApp, defaultClient)
                    .containsEntry(alice, Map.of("producer_byte_rate", 1e6, "request_percentage", 50.0));
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                    ClientQuotaFilterComponent.ofEntity("user", "alice")))).entities().get()).containsOnlyKeys(alice);
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(
                    ClientQuotaFilterComponent.ofEntity("user", "alice")))).entities().get()).containsOnlyKeys(alice, aliceApp);
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                    ClientQuotaFilterComponent.ofDefaultEntity("client-id")))).entities().get()).containsOnlyKeys(defaultClient);
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(
                    ClientQuotaFilterComponent.ofEntityType("client-id")))).entities().get())
                    .containsOnlyKeys(aliceApp, defaultClient);

            // Kafka's checks: an unknown key, a fractional byte rate
            assertThatThrownBy(() -> admin.alterClientQuotas(List.of(new ClientQuotaAlteration(alice,
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rat", 1.0))))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> admin.alterClientQuotas(List.of(new ClientQuotaAlteration(alice,
                    List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 1.5))))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRequestException.class);

            admin.alterClientQuotas(List.of(
                    new ClientQuotaAlteration(alice, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null),
                            new ClientQuotaAlteration.Op("request_percentage", null))),
                    new ClientQuotaAlteration(aliceApp, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", null))),
                    new ClientQuotaAlteration(defaultClient, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null)))))
                    .all().get();
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get()).isEmpty();
        }
    }

    @Test
    void aProducerAndAConsumerOverTheirByteRatesAreThrottledToAboutThemAndReleasedWhenTheQuotaGoes() throws Exception {
        String topic = "quota-topic";
        ClientQuotaEntity producerClient = entity("client-id", "quota-producer");
        ClientQuotaEntity anyUser = entity("user", null);
        try (Admin admin = admin()) {
            // Given a producer_byte_rate on the producer's client id and a consumer_byte_rate on every user
            admin.alterClientQuotas(List.of(
                    new ClientQuotaAlteration(producerClient, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", (double) RATE))),
                    new ClientQuotaAlteration(anyUser, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", (double) RATE)))))
                    .all().get();

            // When the producer sends 1.2 MB, 6 times its quota per second
            long produceNanos;
            double produceThrottleMax;
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                long start = System.nanoTime();
                send(producer, topic);
                produceNanos = System.nanoTime() - start;
                produceThrottleMax = metric(producer.metrics(), "produce-throttle-time-max", "producer-metrics");
            }

            // Then it took about as long as the quota allows (after a burst of about one window), and was told to wait
            double seconds = produceNanos / 1e9;
            assertThat(seconds).as("1.2 MB at 200 KB/s after a ~200 KB burst: ~5 s").isGreaterThan(2.5);
            assertThat(produceThrottleMax).isPositive();

            // And a consumer reading it back is slowed to its quota likewise
            long consumeStart = System.nanoTime();
            double fetchThrottleMax;
            try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
                assertThat(readAll(consumer, new TopicPartition(topic, 0))).isEqualTo(RECORDS);
                fetchThrottleMax = metric(consumer.metrics(), "fetch-throttle-time-max", "consumer-fetch-manager-metrics");
            }
            assertThat((System.nanoTime() - consumeStart) / 1e9).isGreaterThan(2.5);
            assertThat(fetchThrottleMax).isPositive();

            // When the producer quota is removed, the same client id is no longer throttled
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(producerClient,
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null))))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                send(producer, topic);
                assertThat(metric(producer.metrics(), "produce-throttle-time-max", "producer-metrics")).isZero();
            }
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(anyUser,
                    List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", null))))).all().get();
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            sent.add(producer.send(new ProducerRecord<>(topic, 0, null, new byte[RECORD])));
        }
        for (Future<?> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    private static int readAll(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition) {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        int read = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (read < RECORDS && System.nanoTime() < deadline) {
            read += consumer.poll(Duration.ofMillis(200)).count();
        }
        return read;
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name, String group) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals(group))
                .map(e -> (Double) e.getValue().metricValue())
                .filter(v -> !v.isNaN())
                .findFirst().orElse(0.0);
    }

    private static ClientQuotaEntity entity(String... typeAndName) {
        Map<String, String> parts = new HashMap<>();
        for (int i = 0; i < typeAndName.length; i += 2) {
            parts.put(typeAndName[i], typeAndName[i + 1]);
        }
        return new ClientQuotaEntity(Collections.unmodifiableMap(parts));
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(p);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "quota-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "quota-consumer");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
