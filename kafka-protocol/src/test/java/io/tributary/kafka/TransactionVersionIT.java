package io.tributary.kafka;

import io.tributary.transactions.TransactionConfig;
import io.tributary.transactions.TransactionVersion;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * kafka-clients 4.4 against a broker finalizing {@code transaction.version} 2 (the default) and one finalizing 1:
 * the client negotiates KIP-890 part 2 from ApiVersions, which shows in the producer epoch bumped by every
 * EndTxn (and in transactions that work with no AddPartitionsToTxn / AddOffsetsToTxn); with version 1 the epoch
 * stays. Commit, abort, read_committed, sendOffsetsToTransaction and zombie fencing work under both.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionVersionIT {
    @TempDir
    static Path v2Dir;
    @TempDir
    static Path v1Dir;
    static TestBroker v2;
    static TestBroker v1;

    @BeforeAll
    static void startBrokers() throws Exception {
        v2 = TestBroker.start(v2Dir, TransactionConfig.defaults());
        v1 = TestBroker.start(v1Dir, TransactionConfig.defaults().withTransactionVersion(TransactionVersion.V1));
    }

    @AfterAll
    static void stopBrokers() {
        if (v2 != null) {
            v2.close();
        }
        if (v1 != null) {
            v1.close();
        }
    }

    @Test
    void apiVersionsFinalizesTheConfiguredTransactionVersion() throws Exception {
        try (Admin admin2 = admin(v2); Admin admin1 = admin(v1)) {
            FeatureMetadata features2 = admin2.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);
            FeatureMetadata features1 = admin1.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);

            assertThat(features2.finalizedFeatures().get("transaction.version").maxVersionLevel()).isEqualTo((short) 2);
            assertThat(features2.supportedFeatures().get("transaction.version").minVersion()).isEqualTo((short) 0);
            assertThat(features2.supportedFeatures().get("transaction.version").maxVersion()).isEqualTo((short) 2);
            assertThat(features2.finalizedFeaturesEpoch()).hasValueSatisfying(epoch -> assertThat(epoch).isPositive());
            assertThat(features1.finalizedFeatures().get("transaction.version").maxVersionLevel()).isEqualTo((short) 1);
        }
    }

    @Test
    void version2BumpsTheEpochAtEveryCommitAndAbortAndKeepsReadCommittedAndOffsetsRight() throws Exception {
        List<Short> epochs = transactionsAndOffsets(v2, "tv2-bump");

        // init at 0, then one bump per EndTxn: the client runs transaction.version 2
        assertThat(epochs).containsExactly((short) 1, (short) 2, (short) 3);
    }

    @Test
    void version1KeepsOneEpochAcrossTransactions() throws Exception {
        List<Short> epochs = transactionsAndOffsets(v1, "tv1-keep");

        assertThat(epochs).containsExactly((short) 0, (short) 0, (short) 0);
    }

    @Test
    void version2FencesTheZombieOfANewInstance() throws Exception {
        v2.log().createTopic("tv2-zombie", 1, Map.of());
        try (KafkaProducer<String, String> zombie = producer(v2, "tv2-zombie-1");
             KafkaProducer<String, String> successor = producer(v2, "tv2-zombie-1")) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("tv2-zombie", 0, "k", "zombie")).get(30, TimeUnit.SECONDS);
            zombie.commitTransaction();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("tv2-zombie", 0, "k", "zombie-open")).get(30, TimeUnit.SECONDS);

            successor.initTransactions();
            successor.beginTransaction();
            successor.send(new ProducerRecord<>("tv2-zombie", 0, "k", "successor"));
            successor.commitTransaction();

            assertThatThrownBy(zombie::commitTransaction).isInstanceOf(KafkaException.class);
        }
        assertThat(readCommitted(v2, "tv2-zombie", 2)).containsExactly("zombie", "successor");
    }

    /**
     * Commits records to two partitions, aborts one, then commits a record with the offsets of a consumed
     * one (sendOffsetsToTransaction); returns the producer epoch DescribeTransactions shows after each.
     */
    private static List<Short> transactionsAndOffsets(TestBroker broker, String name) throws Exception {
        broker.log().createTopic(name, 2, Map.of());
        broker.log().createTopic(name + "-in", 1, Map.of());
        List<Short> epochs = new ArrayList<>();
        try (Admin admin = admin(broker);
             KafkaProducer<String, String> producer = producer(broker, name + "-p")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(name + "-in", 0, "k", "input"));
            producer.send(new ProducerRecord<>(name, 0, "k", "c0"));
            producer.send(new ProducerRecord<>(name, 1, "k", "c1"));
            producer.commitTransaction();
            epochs.add(epoch(admin, name + "-p"));

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(name, 0, "k", "aborted")).get(30, TimeUnit.SECONDS);
            producer.abortTransaction();
            epochs.add(epoch(admin, name + "-p"));

            try (KafkaConsumer<String, String> consumer = consumer(broker, name + "-g")) {
                consumer.assign(List.of(new TopicPartition(name + "-in", 0)));
                List<ConsumerRecord<String, String>> input = poll(consumer, 1);
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(name, 1, "k", "from-" + input.get(0).value()));
                producer.sendOffsetsToTransaction(Map.of(new TopicPartition(name + "-in", 0),
                        new OffsetAndMetadata(input.get(0).offset() + 1)), consumer.groupMetadata());
                producer.commitTransaction();
                epochs.add(epoch(admin, name + "-p"));
            }
            assertThat(readCommitted(broker, name, 3)).containsExactlyInAnyOrder("c0", "c1", "from-input");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (committed.isEmpty() && System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(name + "-g").partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                if (committed.isEmpty()) {
                    Thread.sleep(20);
                }
            }
            assertThat(committed).containsEntry(new TopicPartition(name + "-in", 0), new OffsetAndMetadata(1));
        }
        return epochs;
    }

    private static short epoch(Admin admin, String transactionalId) throws Exception {
        TransactionDescription described = admin.describeTransactions(List.of(transactionalId))
                .description(transactionalId).get(30, TimeUnit.SECONDS);
        return (short) described.producerEpoch();
    }

    private static List<String> readCommitted(TestBroker broker, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = consumer(broker, null)) {
            consumer.assign(consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList());
            return poll(consumer, expected).stream().map(ConsumerRecord::value).toList();
        }
    }

    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (records.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        // one more poll: a record past the expected ones would show here
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records;
    }

    private static KafkaProducer<String, String> producer(TestBroker broker, String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(TestBroker broker, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props);
    }

    private static Admin admin(TestBroker broker) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(props);
    }
}
