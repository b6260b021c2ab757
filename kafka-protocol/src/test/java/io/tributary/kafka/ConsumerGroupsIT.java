package io.tributary.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Unmodified kafka-clients 4.4 consumers using subscribe(), over both group protocols. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerGroupsIT {
    private static final int PARTITIONS = 4;
    private static final int RECORDS = 200;

    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void classicProtocolGroupConsumesEverythingOnceAndCommits() throws Exception {
        runGroup("classic", "classic-topic", "classic-group");
    }

    @Test
    void consumerProtocolGroupConsumesEverythingOnceAndCommits() throws Exception {
        runGroup("consumer", "consumer-topic", "consumer-group");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("consumer-group"))
                    .describedGroups().get("consumer-group").get(20, TimeUnit.SECONDS);
            assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
            assertThat(admin.listGroups().all().get(20, TimeUnit.SECONDS))
                    .anyMatch(l -> l.groupId().equals("consumer-group"));
        }
    }

    /** Two subscribed consumers share the partitions, read every record once, and commit; a restart resumes. */
    private void runGroup(String protocol, String topic, String group) throws Exception {
        // Given a topic with records in every partition
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, "k" + i, "v" + i));
            }
            producer.flush();
        }

        // When two consumers of one group subscribe and poll until everything is read, committing as they go
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        int failedCommits = 0;
        try (KafkaConsumer<String, String> first = consumer(protocol, group);
             KafkaConsumer<String, String> second = consumer(protocol, group)) {
            first.subscribe(List.of(topic));
            second.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < RECORDS && System.nanoTime() < deadline) {
                for (KafkaConsumer<String, String> consumer : List.of(first, second)) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        if (!seen.add(record.value())) {
                            duplicates++;
                        }
                    }
                    try {
                        consumer.commitSync(Duration.ofSeconds(10));
                    } catch (CommitFailedException e) {
                        // A rebalance moved the member on while the commit was in flight, as with any
                        // Kafka broker; the next round commits again.
                        failedCommits++;
                    }
                }
            }
            // Let both settle on a share of the partitions (KIP-848 moves them at heartbeat pace), then commit.
            long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((first.assignment().isEmpty() || second.assignment().isEmpty()
                    || first.assignment().size() + second.assignment().size() != PARTITIONS)
                    && System.nanoTime() < settleBy) {
                for (KafkaConsumer<String, String> consumer : List.of(first, second)) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        if (!seen.add(record.value())) {
                            duplicates++;
                        }
                    }
                }
            }
            first.commitSync(Duration.ofSeconds(10));
            second.commitSync(Duration.ofSeconds(10));
            assertThat(first.assignment().size() + second.assignment().size()).isEqualTo(PARTITIONS);
            assertThat(first.assignment()).isNotEmpty().doesNotContainAnyElementsOf(second.assignment());
        }

        // Then every record was read, and the group's committed offsets point at the end of each partition
        assertThat(seen).hasSize(RECORDS);
        if (failedCommits == 0) {
            assertThat(duplicates).isZero();
        }
        assertThat(failedCommits).isLessThan(5);
        try (KafkaConsumer<String, String> resumed = consumer(protocol, group)) {
            Set<TopicPartition> partitions = new HashSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = resumed.committed(partitions, Duration.ofSeconds(10));
            assertThat(committed.values()).allMatch(o -> o != null && o.offset() == RECORDS / PARTITIONS);
            resumed.subscribe(List.of(topic));
            assertThat(resumed.poll(Duration.ofSeconds(3)).count()).isZero();
        }
    }

    private static KafkaConsumer<String, String> consumer(String protocol, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        return new KafkaConsumer<>(props);
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }
}
