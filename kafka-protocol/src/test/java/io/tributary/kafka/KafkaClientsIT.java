package io.tributary.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The adapter over a real log and pipeline, driven by unmodified kafka-clients 4.4 clients. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KafkaClientsIT {
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
    void idempotentProducerWritesWhatAnAssignedConsumerReadsBack() throws Exception {
        // Given an auto-created topic filled by an idempotent acks=all producer
        String topic = "e2e-roundtrip";
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> f : futures) {
                sent.add(f.get(20, TimeUnit.SECONDS));
            }
        }
        assertThat(sent).extracting(RecordMetadata::offset).containsExactlyElementsOf(range(0, 500));

        // When a consumer assigns the partition and seeks to the start
        List<ConsumerRecord<String, String>> received = consume(new TopicPartition(topic, 0), 0, 500);

        // Then it reads every record, in order
        assertThat(received).extracting(ConsumerRecord::offset).containsExactlyElementsOf(range(0, 500));
        assertThat(received.get(0).key()).isEqualTo("k0");
        assertThat(received.get(499).value()).isEqualTo("v499");
    }

    @Test
    void acksZeroAndCompressedBatchesRoundTrip() throws Exception {
        // Given records sent fire-and-forget (acks=0), then zstd- and lz4-compressed with acks=all
        String topic = "e2e-acks0-compressed";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.ACKS_CONFIG, "0",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "zero-" + i));
            }
            producer.flush();
        }
        for (String codec : List.of("zstd", "lz4")) {
            try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec))) {
                List<Future<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    futures.add(producer.send(new ProducerRecord<>(topic, "k", codec + "-" + i)));
                }
                for (Future<RecordMetadata> f : futures) {
                    f.get(20, TimeUnit.SECONDS);
                }
            }
        }

        // When the partition is read from the start
        List<ConsumerRecord<String, String>> received = consume(new TopicPartition(topic, 0), 0, 150);

        // Then every record is there, in order
        assertThat(received).extracting(ConsumerRecord::offset).containsExactlyElementsOf(range(0, 150));
        assertThat(received.get(0).value()).isEqualTo("zero-0");
        assertThat(received.get(50).value()).isEqualTo("zstd-0");
        assertThat(received.get(149).value()).isEqualTo("lz4-49");
    }

    @Test
    void parkedFetchReturnsAsSoonAsDataArrives() throws Exception {
        // Given a consumer long-polling an empty partition
        String topic = "e2e-longpoll";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        Properties props = consumerProps();
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "3000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
             KafkaProducer<String, String> producer = producer()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();

            // When a record is produced
            producer.send(new ProducerRecord<>(topic, "k", "late")).get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            while (got.isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                consumer.poll(Duration.ofMillis(2500)).forEach(got::add);
            }

            // Then the parked fetch answers well before its 3 s max wait
            assertThat(got).extracting(ConsumerRecord::value).containsExactly("late");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(2500));
        }
    }

    @Test
    void adminCreatesTopicsAndListsOffsets() throws Exception {
        String topic = "e2e-admin";
        try (Admin admin = admin(); KafkaProducer<String, String> producer = producer()) {
            // Given a topic created by the admin client with 3 partitions and a config override
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                    .configs(Map.of("retention.ms", "3600000")))).all().get(10, TimeUnit.SECONDS);
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            assertThat(description.partitions()).hasSize(3);
            long t0 = 1_000_000L;
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 1, t0 + i * 100, "k", "v" + i)).get(10, TimeUnit.SECONDS);
            }
            TopicPartition tp = new TopicPartition(topic, 1);

            // When offsets are listed by earliest, latest, timestamp and max timestamp
            ListOffsetsResultInfo earliest = admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get();
            ListOffsetsResultInfo latest = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get();
            ListOffsetsResultInfo byTime = admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(t0 + 450)))
                    .partitionResult(tp).get();
            ListOffsetsResultInfo max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp())).partitionResult(tp).get();

            // Then they match the records written
            assertThat(earliest.offset()).isZero();
            assertThat(latest.offset()).isEqualTo(10);
            assertThat(byTime.offset()).isEqualTo(5);
            assertThat(byTime.timestamp()).isEqualTo(t0 + 500);
            assertThat(max.offset()).isEqualTo(9);
            assertThat(max.timestamp()).isEqualTo(t0 + 900);
        }
    }

    @Test
    void createTopicsRefusesDuplicatesAndReplication() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("e2e-dup", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("e2e-dup", 1, (short) 1))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicExistsException.class);
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("e2e-rf3", 1, (short) 3))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidReplicationFactorException.class);
            assertThat(broker.log().topic("e2e-rf3")).isEmpty();
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i < to; i++) {
            list.add(i);
        }
        return list;
    }

    private static List<ConsumerRecord<String, String>> consume(TopicPartition tp, long offset, int count) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        Properties props = consumerProps();
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "4096");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        return received;
    }

    private static KafkaProducer<String, String> producer() {
        return producer(Map.of());
    }

    private static KafkaProducer<String, String> producer(Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.putAll(overrides);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return Admin.create(props);
    }
}
