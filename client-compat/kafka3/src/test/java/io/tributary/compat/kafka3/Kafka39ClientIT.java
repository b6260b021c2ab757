package io.tributary.compat.kafka3;

import io.tributary.compat.ChildBroker;
import io.tributary.compat.StoredBatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafka-clients 3.9.1 against one broker child process: the producer with its defaults (idempotent,
 * acks=all) and with each compression codec, the consumer by assign+seek, by time and in a classic
 * consumer group, the admin client's createTopics and listOffsets (earliest, latest, by time, max), and
 * transactions (abort, commit with sendOffsetsToTransaction, both isolation levels).
 */
@Timeout(60)
class Kafka39ClientIT {
    private static ChildBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start("kafka39", "auto.create.topics.enable=false");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theClientOnTheClassPathIsKafka39() {
        // Given this module's test class path / When the client reports its version / Then it is 3.9.1
        assertThat(AppInfoParser.getVersion()).isEqualTo("3.9.1");
    }

    @Test
    void idempotentProducerThenAssignAndSeek() throws Exception {
        // Given a topic made by the admin client and 100 records from a default (idempotent, acks=all) producer
        String topic = "kafka39-seek";
        createTopic(topic, 2);
        List<RecordMetadata> acks = produce(topic, 100, Map.of());
        assertThat(acks).extracting(RecordMetadata::offset).containsExactlyElementsOf(range(0, 100));

        // When a consumer assigns partition 0 and seeks to offset 40
        List<ConsumerRecord<String, String>> read;
        try (KafkaConsumer<String, String> consumer = consumer(Map.of())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, 40);
            read = pollUntil(consumer, 60);
        }

        // Then it reads offsets 40..99 with the values that were sent there
        assertThat(read).extracting(ConsumerRecord::offset).containsExactlyElementsOf(range(40, 100));
        assertThat(read).extracting(ConsumerRecord::value).allSatisfy(v -> assertThat(v).startsWith("value-"));
        assertThat(read.get(0).value()).isEqualTo("value-40");
        // and listOffsets reports the range the broker holds
        try (Admin admin = admin()) {
            TopicPartition p0 = new TopicPartition(topic, 0);
            ListOffsetsResultInfo earliest = admin.listOffsets(Map.of(p0, OffsetSpec.earliest())).partitionResult(p0)
                    .get(10, TimeUnit.SECONDS);
            ListOffsetsResultInfo latest = admin.listOffsets(Map.of(p0, OffsetSpec.latest())).partitionResult(p0)
                    .get(10, TimeUnit.SECONDS);
            assertThat(earliest.offset()).isZero();
            assertThat(latest.offset()).isEqualTo(100);
        }
    }

    @Test
    void offsetsForTimesFindTheFirstRecordAtOrAfterATimestamp() throws Exception {
        // Given 10 records with create times 1000 ms apart
        String topic = "kafka39-times";
        createTopic(topic, 1);
        long t0 = System.currentTimeMillis() - 60_000;
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, t0 + i * 1000L, "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
        }

        // When the consumer and the admin client look up offsets by time
        Map<TopicPartition, OffsetAndTimestamp> found;
        try (KafkaConsumer<String, String> consumer = consumer(Map.of())) {
            found = consumer.offsetsForTimes(Map.of(partition, t0 + 5_500L), Duration.ofSeconds(10));
        }
        ListOffsetsResultInfo maxTimestamp;
        ListOffsetsResultInfo afterAll;
        try (Admin admin = admin()) {
            maxTimestamp = admin.listOffsets(Map.of(partition, OffsetSpec.maxTimestamp())).partitionResult(partition)
                    .get(10, TimeUnit.SECONDS);
            afterAll = admin.listOffsets(Map.of(partition, OffsetSpec.forTimestamp(t0 + 20_000L)))
                    .partitionResult(partition).get(10, TimeUnit.SECONDS);
        }

        // Then t0+5.5 s finds offset 6 (created at t0+6 s), the max timestamp is offset 9's, and a time after
        // every record finds none (offset -1)
        assertThat(found.get(partition).offset()).isEqualTo(6);
        assertThat(found.get(partition).timestamp()).isEqualTo(t0 + 6_000L);
        assertThat(maxTimestamp.offset()).isEqualTo(9);
        assertThat(maxTimestamp.timestamp()).isEqualTo(t0 + 9_000L);
        assertThat(afterAll.offset()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void compressedBatchesReadBack(String codec) throws Exception {
        // Given a topic
        String topic = "kafka39-" + codec;
        createTopic(topic, 1);

        // When 50 records are produced with the codec
        produce(topic, 50, Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, 20));

        // Then the broker stored batches with that codec, and a consumer reads all 50 back, in order
        assertThat(StoredBatch.codecs(broker, topic, 0)).containsOnly(codec);
        try (KafkaConsumer<String, String> consumer = consumer(Map.of())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> read = pollUntil(consumer, 50);
            assertThat(read).extracting(ConsumerRecord::offset).containsExactlyElementsOf(range(0, 50));
            assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(
                    range(0, 50).stream().map(i -> "value-" + i).toList());
        }
    }

    @Test
    void consumerGroupSubscribeReadsEveryPartitionAndCommits() throws Exception {
        // Given 3 partitions holding 30 records
        String topic = "kafka39-group";
        createTopic(topic, 3);
        List<RecordMetadata> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, i % 3, "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                acks.add(f.get(10, TimeUnit.SECONDS));
            }
        }
        assertThat(acks).extracting(RecordMetadata::partition).containsOnly(0, 1, 2);

        // When a consumer in a classic group subscribes, reads everything and commits
        String group = "kafka39-group-g";
        try (KafkaConsumer<String, String> consumer = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> read = pollUntil(consumer, 30);
            consumer.commitSync(Duration.ofSeconds(10));

            // Then it got all 30 records from the three partitions
            assertThat(read).hasSize(30);
            assertThat(read).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
            assertThat(consumer.assignment()).hasSize(3);
        }
        // and the group's committed offsets are the ends of the partitions
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            assertThat(committed).containsOnlyKeys(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                    new TopicPartition(topic, 2));
            assertThat(committed.values()).extracting(OffsetAndMetadata::offset).containsOnly(10L);
        }
    }

    @Test
    void transactionsCommitAbortAndSendOffsetsAsIn39() throws Exception {
        // Given a transactional 3.9 producer and 3 input records read by a consumer group
        String input = "kafka39-txn-in";
        String output = "kafka39-txn-out";
        createTopic(input, 1);
        createTopic(output, 1);
        produce(input, 3, Map.of());
        TopicPartition in = new TopicPartition(input, 0);
        TopicPartition out = new TopicPartition(output, 0);
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kafka39-txn"));
             KafkaConsumer<String, String> group = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "kafka39-txn-group",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            producer.initTransactions();
            group.subscribe(List.of(input));
            List<ConsumerRecord<String, String>> read = pollUntil(group, 3);
            assertThat(read).hasSize(3);

            // When it aborts one transaction, then commits the transformed records with the group's offsets
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(output, 0, "k", "aborted")).get(10, TimeUnit.SECONDS);
            producer.abortTransaction();
            producer.beginTransaction();
            for (ConsumerRecord<String, String> record : read) {
                producer.send(new ProducerRecord<>(output, 0, record.key(), "out-" + record.value()));
            }
            producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(3)), group.groupMetadata());
            producer.commitTransaction();
        }

        // Then read_committed sees the 3 committed records only, read_uncommitted the aborted one too,
        // and the group's committed offset is 3
        try (KafkaConsumer<String, String> committed = consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             KafkaConsumer<String, String> uncommitted = consumer(Map.of())) {
            committed.assign(List.of(out));
            committed.seekToBeginning(List.of(out));
            uncommitted.assign(List.of(out));
            uncommitted.seekToBeginning(List.of(out));
            assertThat(pollUntil(committed, 3)).extracting(ConsumerRecord::value)
                    .containsExactly("out-value-0", "out-value-1", "out-value-2");
            assertThat(pollUntil(uncommitted, 4)).extracting(ConsumerRecord::value)
                    .containsExactly("aborted", "out-value-0", "out-value-1", "out-value-2");
        }
        try (Admin admin = admin()) {
            assertThat(admin.listConsumerGroupOffsets("kafka39-txn-group").partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(in).offset()).isEqualTo(3);
            // 3.9 knows no transaction.version 2 (EndTxn up to v4): against a broker finalizing it, the epoch of
            // initTransactions stays through the abort and the commit
            assertThat(admin.describeTransactions(List.of("kafka39-txn")).description("kafka39-txn")
                    .get(10, TimeUnit.SECONDS).producerEpoch()).isZero();
        }
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(10, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(topic);
        }
    }

    private static List<RecordMetadata> produce(String topic, int count, Map<String, Object> extra) throws Exception {
        List<RecordMetadata> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(extra)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                acks.add(f.get(10, TimeUnit.SECONDS));
            }
        }
        return acks;
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (read.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
        assertThat(read).as("records polled within 30 s").hasSizeGreaterThanOrEqualTo(count);
        return read;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i < to; i++) {
            values.add(i);
        }
        return values;
    }
}
