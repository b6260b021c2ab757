package io.tributary.differential;

import static io.tributary.differential.Consumers.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer positions, offset resets, committed offsets and fetched records: each scenario runs against Kafka
 * and Tributary, and the outcome must be Kafka's expected one on both.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsumerDifferentialIT {
    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    @Test
    @Timeout(60)
    void autoOffsetResetNoneWithoutCommittedOffset() {
        differential("error NoOffsetForPartitionException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "reset-none", 1);
            Differential.produce(b, "reset-none", 2);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-reset-none", "none", Map.of())) {
                consumer.subscribe(List.of("reset-none"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int records = 0;
                while (System.nanoTime() < deadline) {
                    records += consumer.poll(Duration.ofMillis(200)).count();
                }
                return "polled " + records + " records without an error";
            }
        }));
    }

    @Test
    @Timeout(60)
    void latestAndEarliestResetPositions() {
        differential("ok latest=5 earliest=0", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "reset-positions", 1);
            Differential.produce(b, "reset-positions", 5);
            TopicPartition tp = new TopicPartition("reset-positions", 0);
            long latest;
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-latest", "latest", Map.of())) {
                consumer.assign(List.of(tp));
                latest = consumer.position(tp, Duration.ofSeconds(10));
            }
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-earliest", "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                return "latest=" + latest + " earliest=" + consumer.position(tp, Duration.ofSeconds(10));
            }
        }));
    }

    @ParameterizedTest(name = "auto.offset.reset={0}")
    @ValueSource(strings = {"earliest", "latest"})
    @Timeout(60)
    void seekBeyondEndResets(String reset) {
        String expected = reset.equals("earliest") ? "ok records=5 position=5" : "ok records=0 position=5";
        differential(expected, (b, admin) -> Outcome.of(() -> {
            String topic = "seek-beyond-" + reset;
            Differential.createTopic(admin, topic, 1);
            Differential.produce(b, topic, 5);
            TopicPartition tp = new TopicPartition(topic, 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, null, reset, Map.of())) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 100);
                int wanted = reset.equals("earliest") ? 5 : 0;
                int records = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                // until the out-of-range position has been reset and everything expected has arrived
                while (System.nanoTime() < deadline
                        && (records < wanted || consumer.position(tp, Duration.ofSeconds(10)) == 100)) {
                    records += consumer.poll(Duration.ofMillis(200)).count();
                }
                // a moment more, so that records arriving after the expected ones would be counted
                records += consumer.poll(Duration.ofMillis(300)).count();
                return "records=" + records + " position=" + consumer.position(tp, Duration.ofSeconds(10));
            }
        }));
    }

    @Test
    @Timeout(60)
    void seekBelowLogStartResetsToLogStart() {
        differential("ok records=2 first=3 position=5", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "below-start", 1);
            Differential.produce(b, "below-start", 5);
            TopicPartition tp = new TopicPartition("below-start", 0);
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).all().get();
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, null, "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 0);
                List<Long> offsets = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (offsets.size() < 2 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> offsets.add(r.offset()));
                }
                return "records=" + offsets.size() + " first=" + (offsets.isEmpty() ? "none" : offsets.get(0))
                        + " position=" + consumer.position(tp, Duration.ofSeconds(10));
            }
        }));
    }

    @Test
    @Timeout(60)
    void committedOffsetAndMetadataRoundTrip() {
        differential("ok offset=3 metadata=checkpoint-7 leaderEpoch=Optional[0]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "commit-round-trip", 1);
            Differential.produce(b, "commit-round-trip", 5);
            TopicPartition tp = new TopicPartition("commit-round-trip", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-round-trip", "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(3, Optional.of(0), "checkpoint-7")));
            }
            try (KafkaConsumer<byte[], byte[]> reader = consumer(b, "g-round-trip", "earliest", Map.of())) {
                OffsetAndMetadata committed = reader.committed(java.util.Set.of(tp), Duration.ofSeconds(10)).get(tp);
                return "offset=" + committed.offset() + " metadata=" + committed.metadata()
                        + " leaderEpoch=" + committed.leaderEpoch();
            }
        }));
    }

    @Test
    @Timeout(60)
    void commitWithOversizedMetadata() {
        differential("error OffsetMetadataTooLarge", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "commit-big-metadata", 1);
            TopicPartition tp = new TopicPartition("commit-big-metadata", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-big-metadata", "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(0, "m".repeat(5000))));
                return "committed";
            }
        }));
    }

    @Test
    @Timeout(60)
    void committedOffsetOfNeverCommittedPartitionIsNull() {
        differential("ok {never-committed-0=null}", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "never-committed", 1);
            TopicPartition tp = new TopicPartition("never-committed", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, "g-never-committed", "earliest", Map.of())) {
                return consumer.committed(java.util.Set.of(tp), Duration.ofSeconds(10));
            }
        }));
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    @Timeout(60)
    void recordsRoundTripWithHeadersNullsAndCompression(String codec) {
        differential("ok [0:null/v0/h=x0, 1:k1/null/h=x1, 2:k2/v2/h=x2]", (b, admin) -> Outcome.of(() -> {
            String topic = "round-trip-" + codec;
            Differential.createTopic(admin, topic, 1);
            try (KafkaProducer<byte[], byte[]> producer = Differential.producer(b, Map.of(
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, "50"))) {
                for (int i = 0; i < 3; i++) {
                    byte[] key = i == 0 ? null : bytes("k" + i);
                    byte[] value = i == 1 ? null : bytes("v" + i);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, key, value);
                    record.headers().add("h", bytes("x" + i));
                    producer.send(record);
                }
                producer.flush();
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, null, "earliest", Map.of())) {
                consumer.assign(List.of(tp));
                List<String> seen = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seen.size() < 3 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.offset() + ":" + text(r.key()) + "/" + text(r.value()) + "/h="
                                + text(r.headers().lastHeader("h").value()));
                    }
                }
                return seen;
            }
        }));
    }

    @Test
    @Timeout(60)
    void recordLargerThanFetchLimitsStillArrives() {
        differential("ok records=2 first=5000 bytes", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "big-record", 1);
            try (KafkaProducer<byte[], byte[]> producer = Differential.producer(b, Map.of())) {
                producer.send(new ProducerRecord<>("big-record", 0, null, new byte[5000])).get();
                producer.send(new ProducerRecord<>("big-record", 0, null, new byte[10])).get();
            }
            TopicPartition tp = new TopicPartition("big-record", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(b, null, "earliest", Map.of(
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "100", ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "100"))) {
                consumer.assign(List.of(tp));
                List<Integer> sizes = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (sizes.size() < 2 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> sizes.add(r.value().length));
                }
                return "records=" + sizes.size() + " first=" + (sizes.isEmpty() ? "none" : sizes.get(0)) + " bytes";
            }
        }));
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
