package io.tributary.differential;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * Log compaction against Kafka's cleaner: the same keyed writes and tombstones to a compacted topic on both
 * brokers, segments rolled by a short {@code segment.ms} and a low dirty ratio so that both clean; after cleaning
 * both must hold the same records (key, value, offset). The expected outcome is the latest record of each key at
 * its original offset, computed from the writes, plus the record in the active segment, which is never cleaned.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CompactionDifferentialIT {
    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    private static final int KEYS = 10;
    private static final long SEGMENT_MS = 200;

    /** One write: key and value (null for a tombstone), in order; offsets follow from one record per batch. */
    private static List<String[]> writes() {
        List<String[]> writes = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < KEYS; k++) {
                if (round == 4 && k > 2) {
                    continue;
                }
                boolean tombstone = round == 3 && (k == 3 || k == 7);
                writes.add(new String[] {"k" + k, tombstone ? null : "r" + round});
            }
        }
        return writes;
    }

    /** The latest write per key at its offset, then the write that rolled the last segment. */
    private static String expected(List<String[]> writes) {
        Map<String, Integer> last = new LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            last.put(writes.get(i)[0], i);
        }
        TreeMap<Integer, String> survivors = new TreeMap<>();
        last.forEach((key, offset) -> survivors.put(offset, offset + ":" + key + "=" + writes.get(offset)[1]));
        survivors.put(writes.size(), writes.size() + ":roll=x");
        return "ok " + String.join(" ", survivors.values());
    }

    @Test
    @Timeout(180)
    void cleanedLogsHoldTheSameLatestRecordPerKeyAtTheSameOffsets() {
        List<String[]> writes = writes();
        String expected = expected(writes);
        Differential.assertSameAs(expected, brokers, admins, (broker, admin) -> Outcome.of(() -> {
            String topic = "compacted";
            Differential.createTopic(admin, new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "segment.ms", Long.toString(SEGMENT_MS),
                    "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "86400000")));
            try (KafkaProducer<byte[], byte[]> producer = Differential.producer(broker, Map.of())) {
                for (int i = 0; i < writes.size(); i++) {
                    if (i % KEYS == 0) {
                        Thread.sleep(SEGMENT_MS + 50);
                    }
                    String[] w = writes.get(i);
                    producer.send(new ProducerRecord<>(topic, 0, bytes(w[0]), bytes(w[1]))).get();
                }
                Thread.sleep(SEGMENT_MS + 50);
                producer.send(new ProducerRecord<>(topic, 0, bytes("roll"), bytes("x"))).get();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String seen = readAll(broker, topic);
            while (!seen.equals(expected.substring(3)) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                seen = readAll(broker, topic);
            }
            return seen;
        }));
    }

    /**
     * The same writes from a producer compressing its batches, each round of {@link #KEYS} records sent as one
     * batch: the brokers open the compressed batches, keep the latest record per key and rewrite a partly kept
     * batch; both must hold the same records at the same offsets.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lz4", "zstd"})
    @Timeout(180)
    void compressedBatchesAreCleanedToTheSameRecords(String codec) {
        List<String[]> writes = writes();
        String expected = expected(writes);
        Differential.assertSameAs(expected, brokers, admins, (broker, admin) -> Outcome.of(() -> {
            String topic = "compacted-" + codec;
            Differential.createTopic(admin, new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "segment.ms", Long.toString(SEGMENT_MS),
                    "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "86400000")));
            try (KafkaProducer<byte[], byte[]> producer = Differential.producer(broker, Map.of(
                    "compression.type", codec, "linger.ms", "2000", "batch.size", "1048576"))) {
                for (int i = 0; i < writes.size(); i++) {
                    if (i % KEYS == 0) {
                        producer.flush();
                        Thread.sleep(SEGMENT_MS + 50);
                    }
                    String[] w = writes.get(i);
                    producer.send(new ProducerRecord<>(topic, 0, bytes(w[0]), bytes(w[1])));
                }
                producer.flush();
                Thread.sleep(SEGMENT_MS + 50);
                producer.send(new ProducerRecord<>(topic, 0, bytes("roll"), bytes("x"))).get();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String seen = readAll(broker, topic);
            while (!seen.equals(expected.substring(3)) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                seen = readAll(broker, topic);
            }
            return seen;
        }));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lz4", "zstd"})
    @Timeout(60)
    void aRecordWithoutKeyInACompressedBatchIsRefusedByACompactedTopic(String codec) {
        Differential.assertSameAs("error InvalidRecordException", brokers, admins, (broker, admin) -> Outcome.of(() -> {
            String topic = "compacted-keyless-" + codec;
            Differential.createTopic(admin, new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")));
            try (KafkaProducer<byte[], byte[]> producer = Differential.producer(broker,
                    Map.of("compression.type", codec))) {
                return producer.send(new ProducerRecord<>(topic, 0, null, bytes("v"))).get();
            }
        }));
    }

    /**
     * A committed and then an aborted transaction write the same key: the cleaner removes the aborted record and keeps
     * the committed one, which both isolation levels then read (before cleaning read_uncommitted also sees the
     * aborted one). Offsets: 0 a=v1, 1 commit marker, 2 a=v2, 3 abort marker, 4 b=1, 5 the roll.
     */
    @Test
    @Timeout(180)
    void anAbortedRecordIsRemovedAndTheCommittedValueOfItsKeyKept() {
        String cleaned = "0:a=v1 4:b=1 5:roll=x";
        Differential.assertSameAs("ok uncommitted=" + cleaned + " committed=" + cleaned, brokers, admins,
                (broker, admin) -> Outcome.of(() -> {
                    String topic = "compacted-txn";
                    Differential.createTopic(admin, new NewTopic(topic, 1, (short) 1).configs(Map.of(
                            "cleanup.policy", "compact", "segment.ms", Long.toString(SEGMENT_MS),
                            "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "86400000")));
                    try (KafkaProducer<byte[], byte[]> producer = Differential.producer(broker, Map.of(
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "compacted-txn-1",
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000"))) {
                        producer.initTransactions();
                        producer.beginTransaction();
                        producer.send(new ProducerRecord<>(topic, 0, bytes("a"), bytes("v1"))).get();
                        producer.commitTransaction();
                        producer.beginTransaction();
                        producer.send(new ProducerRecord<>(topic, 0, bytes("a"), bytes("v2"))).get();
                        producer.abortTransaction();
                    }
                    try (KafkaProducer<byte[], byte[]> producer = Differential.producer(broker, Map.of())) {
                        Thread.sleep(SEGMENT_MS + 50);
                        producer.send(new ProducerRecord<>(topic, 0, bytes("b"), bytes("1"))).get();
                        Thread.sleep(SEGMENT_MS + 50);
                        producer.send(new ProducerRecord<>(topic, 0, bytes("roll"), bytes("x"))).get();
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    String seen = readAll(broker, topic);
                    while (!seen.equals(cleaned) && System.nanoTime() < deadline) {
                        Thread.sleep(500);
                        seen = readAll(broker, topic);
                    }
                    return "uncommitted=" + seen + " committed=" + readAll(broker, topic,
                            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
                }));
    }

    @Test
    @Timeout(60)
    void aRecordWithoutKeyIsRefusedByACompactedTopic() {
        Differential.assertSameAs("error InvalidRecordException", brokers, admins, (broker, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, new NewTopic("compacted-keyless", 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")));
            try (KafkaProducer<byte[], byte[]> producer = Differential.producer(broker, Map.of())) {
                return producer.send(new ProducerRecord<>("compacted-keyless", 0, null, bytes("v"))).get();
            }
        }));
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every record of partition 0, as {@code offset:key=value} separated by spaces. */
    private static String readAll(ChildBroker broker, String topic) {
        return readAll(broker, topic, Map.of());
    }

    /** As {@link #readAll(ChildBroker, String)} with extra consumer settings; read up to the end offset it sees. */
    private static String readAll(ChildBroker broker, String topic, Map<String, String> extra) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.consumer(broker, null, "earliest", extra)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(r.offset() + ":" + text(r.key()) + "=" + text(r.value()));
                }
            }
        }
        return String.join(" ", records);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
