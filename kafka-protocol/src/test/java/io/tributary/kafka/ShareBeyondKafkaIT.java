package io.tributary.kafka;

import io.tributary.delivery.share.ShareConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share-group features beyond Kafka (record headers {@code tributary.expire.at}, {@code tributary.deliver.at},
 * {@code tributary.delay.ms}, {@code tributary.priority}; group configs {@code tributary.share.retry.backoff.levels},
 * {@code tributary.share.key.affinity}, {@code tributary.share.defer.horizon.ms} and
 * {@code tributary.share.expiry.topic.name}) with unmodified kafka-clients 4.4 {@link KafkaShareConsumer}s. One
 * broker for the class (restarted, on its port, by the delay tests); each test has its own topic and group.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareBeyondKafkaIT {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long DEADLINE_MS = 60_000;

    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(dir, ShareConfig.defaults());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anExpiredRecordIsNeverDeliveredAndALiveOneIs() throws Exception {
        // Given a record that expired a second ago, one expiring in ten minutes, and one without expiry
        String topic = "ttl";
        prepare(topic, "ttl-group", Map.of());
        long now = System.currentTimeMillis();
        produce(topic, "expired", Map.of("tributary.expire.at", now - 1_000));
        produce(topic, "live", Map.of("tributary.expire.at", now + 600_000));
        produce(topic, "plain", Map.of());

        // When a share consumer reads the topic until the last record arrived
        try (KafkaShareConsumer<String, String> consumer = consumer("ttl-group", 500)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, r -> values(r).contains("plain"));
            consumer.commitSync(Duration.ofSeconds(30));

            // Then the live records were delivered and the expired one not
            assertThat(values(got)).containsExactly("live", "plain");
        }
    }

    @Test
    void aDelayedRecordIsNotDeliveredEarlyIsDeliveredWhenDueAndKeepsItsDelayAcrossARestart() throws Exception {
        String topic = "delay";
        prepare(topic, "delay-group", Map.of());
        Map<String, Long> arrivals = new LinkedHashMap<>();
        long dueAt;
        long relativeFrom;
        try (KafkaShareConsumer<String, String> consumer = consumer("delay-group", 500)) {
            consumer.subscribe(List.of(topic));
            produce(topic, "warm-up", Map.of());
            pollUntil(consumer, r -> values(r).contains("warm-up"));

            // Given a record due in 2 s (absolute) and one due 3 s after its timestamp (relative), then a plain one
            dueAt = System.currentTimeMillis() + 2_000;
            produce(topic, "at", Map.of("tributary.deliver.at", dueAt));
            relativeFrom = System.currentTimeMillis();
            produce(topic, "relative", Map.of("tributary.delay.ms", 3_000L));
            produce(topic, "plain", Map.of());

            // When the consumer reads on until all three arrived
            pollUntil(consumer, r -> {
                r.forEach(record -> arrivals.putIfAbsent(record.value(), System.currentTimeMillis()));
                return arrivals.size() == 3;
            });
            consumer.commitSync(Duration.ofSeconds(30));
        }

        // Then the plain record came first and each delayed one not before it was due
        assertThat(arrivals.keySet()).containsExactly("plain", "at", "relative");
        assertThat(arrivals.get("at")).isGreaterThanOrEqualTo(dueAt);
        assertThat(arrivals.get("relative")).isGreaterThanOrEqualTo(relativeFrom + 3_000);

        // Given a record due in 6 s that the group has already seen (and skipped) before a broker restart
        long restartDue = System.currentTimeMillis() + 6_000;
        produce(topic, "across-restart", Map.of("tributary.deliver.at", restartDue));
        produce(topic, "before-restart", Map.of());
        try (KafkaShareConsumer<String, String> consumer = consumer("delay-group", 500)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, r -> values(r).contains("before-restart"));
            consumer.commitSync(Duration.ofSeconds(30));
            assertThat(values(got)).containsExactly("before-restart");
        }

        // When the broker restarts on its port and a consumer reads on
        int port = broker.port();
        broker.close();
        broker = TestBroker.start(dir, port);
        try (KafkaShareConsumer<String, String> consumer = consumer("delay-group", 500)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, r -> !r.isEmpty());
            long arrived = System.currentTimeMillis();
            consumer.commitSync(Duration.ofSeconds(30));

            // Then the delayed record arrives, not before it is due, and nothing acknowledged comes again
            assertThat(values(got)).containsExactly("across-restart");
            assertThat(arrived).isGreaterThanOrEqualTo(restartDue);
        }
    }

    @Test
    void higherPrioritiesAreDeliveredFirstAndInOrderWithinAPriority() throws Exception {
        // Given records of priorities 1, 9, default (4), 9, 7, default, produced before the group reads
        String topic = "priority";
        prepare(topic, "priority-group", Map.of());
        String[][] records = {{"p1", "1"}, {"p9a", "9"}, {"p4a", null}, {"p9b", "9"}, {"p7", "7"}, {"p4b", null}};
        for (String[] r : records) {
            produce(topic, r[0], r[1] == null ? Map.of() : Map.of("tributary.priority", Long.parseLong(r[1])));
        }

        // When a consumer taking one record per poll reads them all, accepting each
        List<String> order;
        try (KafkaShareConsumer<String, String> consumer = consumer("priority-group", 1)) {
            consumer.subscribe(List.of(topic));
            order = values(pollUntil(consumer, r -> r.size() >= records.length));
            consumer.commitSync(Duration.ofSeconds(30));
        }

        // Then highest first, first-in first-out within one priority
        assertThat(order).containsExactly("p9a", "p9b", "p7", "p4a", "p4b", "p1");
    }

    @Test
    void aReleasedRecordComesBackOnlyAfterTheGroupsBackoff() throws Exception {
        // Given a group whose released records wait 2 s
        String topic = "backoff";
        prepare(topic, "backoff-group", Map.of("tributary.share.retry.backoff.levels", "2s 10s"));
        produce(topic, "retried", Map.of());

        try (KafkaShareConsumer<String, String> consumer = explicitConsumer("backoff-group", 500)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> first = pollUntil(consumer, r -> !r.isEmpty());
            assertThat(first.get(0).deliveryCount()).hasValue((short) 1);

            // When it is released
            long releasedAt = System.currentTimeMillis();
            consumer.acknowledge(first.get(0), AcknowledgeType.RELEASE);
            consumer.commitSync(Duration.ofSeconds(30));

            // Then it is delivered again, with delivery count 2, not before the first level passed
            List<ConsumerRecord<String, String>> again = pollUntil(consumer, r -> !r.isEmpty());
            long redeliveredAt = System.currentTimeMillis();
            assertThat(values(again)).containsExactly("retried");
            assertThat(again.get(0).deliveryCount()).hasValue((short) 2);
            assertThat(redeliveredAt - releasedAt).isGreaterThanOrEqualTo(2_000);
            consumer.acknowledge(again.get(0), AcknowledgeType.ACCEPT);
            consumer.commitSync(Duration.ofSeconds(30));
        }
    }

    @Test
    void withKeyAffinityAKeyIsNeverInFlightToTwoMembersAndStaysInOrder() throws Exception {
        // Given a key-affinity group and records of keys A and B interleaved in one partition
        String topic = "affinity";
        prepare(topic, "affinity-group", Map.of("tributary.share.key.affinity", "true"));
        try (KafkaProducer<String, String> producer = producer()) {
            for (String v : List.of("A0", "B0", "A1", "B1", "A2", "B2")) {
                producer.send(new ProducerRecord<>(topic, 0, v.substring(0, 1), v));
            }
            producer.flush();
        }

        // (record_limit: in the default batch_optimized mode a member gets the whole batch, as with Kafka)
        try (KafkaShareConsumer<String, String> first = consumer("affinity-group", 1, "explicit", "record_limit");
             KafkaShareConsumer<String, String> second = explicitConsumer("affinity-group", 500)) {
            first.subscribe(List.of(topic));
            second.subscribe(List.of(topic));

            // When the first member holds A0 unacknowledged
            List<ConsumerRecord<String, String>> held = pollUntil(first, r -> !r.isEmpty());
            assertThat(values(held)).containsExactly("A0");

            // Then the second member gets every record of B, in order, and none of A
            List<ConsumerRecord<String, String>> others = new ArrayList<>();
            long phase = System.currentTimeMillis() + DEADLINE_MS;
            while (others.size() < 3) {
                assertThat(System.currentTimeMillis()).as("B in time, got %s", others).isLessThan(phase);
                for (ConsumerRecord<String, String> r : second.poll(POLL)) {
                    others.add(r);
                    second.acknowledge(r, AcknowledgeType.ACCEPT);
                }
            }
            second.commitSync(Duration.ofSeconds(30));
            assertThat(values(others)).containsExactly("B0", "B1", "B2");

            // And once A0 is accepted, the rest of A in offset order
            first.acknowledge(held.get(0), AcknowledgeType.ACCEPT);
            first.commitSync(Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> rest = new ArrayList<>();
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (rest.size() < 2) {
                assertThat(System.currentTimeMillis()).as("rest of A in time, got %s", rest).isLessThan(deadline);
                for (KafkaShareConsumer<String, String> c : List.of(first, second)) {
                    for (ConsumerRecord<String, String> r : c.poll(POLL)) {
                        rest.add(r);
                        c.acknowledge(r, AcknowledgeType.ACCEPT);
                    }
                    c.commitSync(Duration.ofSeconds(30));
                }
            }
            assertThat(values(rest)).containsExactly("A1", "A2");
        }
    }

    @Test
    void aWindowFullOfFarFutureRecordsDoesNotHoldBackLaterOnesAndTheyComeWhenDueAfterARestart() throws Exception {
        // Given a group whose window holds 100 records and defers those due more than 1 s ahead
        String topic = "far-future";
        String group = "far-future-group";
        prepare(topic, group, Map.of("share.partition.max.record.locks", "100",
                "tributary.share.defer.horizon.ms", "1000"));
        Map<String, Long> arrivals = new LinkedHashMap<>();
        long dueAt;
        try (KafkaShareConsumer<String, String> consumer = consumer(group, 500)) {
            consumer.subscribe(List.of(topic));
            produce(topic, "warm-up", Map.of());
            pollUntil(consumer, r -> values(r).contains("warm-up"));

            // When 150 records due in 5 s (more than the window) are produced, then plain ones
            dueAt = System.currentTimeMillis() + 5_000;
            try (KafkaProducer<String, String> producer = producer()) {
                for (int i = 0; i < 150; i++) {
                    ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, null, "delayed-" + i);
                    record.headers().add(new RecordHeader("tributary.deliver.at",
                            Long.toString(dueAt).getBytes(StandardCharsets.US_ASCII)));
                    producer.send(record);
                }
                producer.send(new ProducerRecord<>(topic, 0, null, "plain-0"));
                producer.send(new ProducerRecord<>(topic, 0, null, "plain-1")).get(30, TimeUnit.SECONDS);
            }

            // Then the plain records are delivered before the delayed ones are due
            pollUntil(consumer, r -> {
                r.forEach(record -> arrivals.putIfAbsent(record.value(), System.currentTimeMillis()));
                return arrivals.containsKey("plain-1");
            });
            consumer.commitSync(Duration.ofSeconds(30));
        }
        assertThat(arrivals.keySet()).containsExactly("plain-0", "plain-1");
        assertThat(arrivals.get("plain-1")).isLessThan(dueAt);

        // And after a broker restart (the start offset is past the deferred records) they all come, when due
        int port = broker.port();
        broker.close();
        broker = TestBroker.start(dir, port);
        List<ConsumerRecord<String, String>> delayed;
        long[] firstArrival = {0};
        try (KafkaShareConsumer<String, String> consumer = consumer(group, 500)) {
            consumer.subscribe(List.of(topic));
            delayed = pollUntil(consumer, r -> {
                if (!r.isEmpty() && firstArrival[0] == 0) {
                    firstArrival[0] = System.currentTimeMillis();
                }
                return r.size() >= 150;
            });
            consumer.commitSync(Duration.ofSeconds(30));
        }
        assertThat(firstArrival[0]).isGreaterThanOrEqualTo(dueAt);
        assertThat(values(delayed)).hasSize(150).doesNotHaveDuplicates().allMatch(v -> v.startsWith("delayed-"));
    }

    @Test
    void anExpiredRecordIsCopiedToTheGroupsExpiryTopic() throws Exception {
        // Given a group with an expiry topic (a topic that takes dead letters)
        String topic = "ttl-copy";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("dlq.expired", 1, (short) 1)
                    .configs(Map.of("errors.deadletterqueue.group.enable", "true")))).all().get(30, TimeUnit.SECONDS);
        }
        prepare(topic, "ttl-copy-group", Map.of("tributary.share.expiry.topic.name", "dlq.expired"));
        produce(topic, "expired", Map.of("tributary.expire.at", System.currentTimeMillis() - 1_000));
        produce(topic, "plain", Map.of());

        // When a share consumer reads the topic
        try (KafkaShareConsumer<String, String> consumer = consumer("ttl-copy-group", 500)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, r -> values(r).contains("plain"));
            consumer.commitSync(Duration.ofSeconds(30));
            assertThat(values(got)).containsExactly("plain");
        }

        // Then the expired record is in the expiry topic, with its value and the dead-letter headers
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "expiry-reader");
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition expired = new TopicPartition("dlq.expired", 0);
            reader.assign(List.of(expired));
            reader.seekToBeginning(List.of(expired));
            List<ConsumerRecord<String, String>> copies = new ArrayList<>();
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (copies.isEmpty()) {
                assertThat(System.currentTimeMillis()).as("expiry copy in time").isLessThan(deadline);
                reader.poll(POLL).forEach(copies::add);
            }
            assertThat(copies).extracting(ConsumerRecord::value).containsExactly("expired");
            Map<String, String> headers = new LinkedHashMap<>();
            copies.get(0).headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            assertThat(headers).containsEntry("__dlq.errors.topic", topic).containsEntry("__dlq.errors.offset", "0")
                    .containsEntry("__dlq.errors.group", "ttl-copy-group")
                    .containsEntry("__dlq.errors.message", "Record expired.");
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaShareConsumer<String, String> consumer,
                                                                  Predicate<List<ConsumerRecord<String, String>>> enough) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!enough.test(got)) {
            assertThat(System.currentTimeMillis()).as("records in time, got %s", got).isLessThan(deadline);
            consumer.poll(POLL).forEach(got::add);
        }
        return got;
    }

    private static KafkaShareConsumer<String, String> consumer(String group, int maxPollRecords) {
        return consumer(group, maxPollRecords, "implicit");
    }

    private static KafkaShareConsumer<String, String> explicitConsumer(String group, int maxPollRecords) {
        return consumer(group, maxPollRecords, "explicit");
    }

    private static KafkaShareConsumer<String, String> consumer(String group, int maxPollRecords, String ackMode) {
        return consumer(group, maxPollRecords, ackMode, "batch_optimized");
    }

    private static KafkaShareConsumer<String, String> consumer(String group, int maxPollRecords, String ackMode,
                                                               String acquireMode) {
        Properties props = new Properties();
        props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, acquireMode);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, ackMode);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** A one-partition topic and a group reading it from the start, with {@code configs} set for the group. */
    private static void prepare(String topic, String group, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            List<AlterConfigOp> ops = new ArrayList<>();
            ops.add(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                    AlterConfigOp.OpType.SET));
            configs.forEach((name, value) -> ops.add(new AlterConfigOp(new ConfigEntry(name, value),
                    AlterConfigOp.OpType.SET)));
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Produces one record with {@code headers} (decimal values) and waits for it to be written. */
    private static void produce(String topic, String value, Map<String, Long> headers) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, null, value);
            headers.forEach((name, v) -> record.headers().add(new RecordHeader(name,
                    Long.toString(v).getBytes(StandardCharsets.US_ASCII))));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }
}
