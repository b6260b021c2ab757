package io.tributary.kafka;

import io.tributary.transactions.TransactionConfig;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kafka transactions driven by unmodified kafka-clients 4.4 producers, consumers and admin clients. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionsIT {
    /** Short enough that the abandoned-transaction test waits seconds, not the default 10 s per check. */
    private static final long ABORT_CHECK_MS = 500;

    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(dir, new TransactionConfig(TransactionConfig.DEFAULT_MAX_TIMEOUT_MS, ABORT_CHECK_MS,
                TransactionConfig.DEFAULT_ID_EXPIRATION_MS));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void committedRecordsReachBothIsolationLevelsAbortedOnesOnlyReadUncommitted() throws Exception {
        // Given a topic with 2 partitions and a transactional producer
        broker.log().createTopic("tx-basic", 2, Map.of());
        try (KafkaProducer<String, String> producer = producer("tx-basic-1", Map.of())) {
            producer.initTransactions();

            // When it aborts a transaction of 2 records, then commits one of 2 more
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-basic", 0, "k", "aborted-0")).get();
            producer.send(new ProducerRecord<>("tx-basic", 1, "k", "aborted-1")).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-basic", 0, "k", "committed-0"));
            producer.send(new ProducerRecord<>("tx-basic", 1, "k", "committed-1"));
            producer.commitTransaction();
        }

        // Then read_committed sees the committed records only, read_uncommitted all four (never a marker)
        assertThat(values(readAll("tx-basic", IsolationLevel.READ_COMMITTED, 2)))
                .containsExactlyInAnyOrder("committed-0", "committed-1");
        assertThat(values(readAll("tx-basic", IsolationLevel.READ_UNCOMMITTED, 4)))
                .containsExactlyInAnyOrder("aborted-0", "aborted-1", "committed-0", "committed-1");
    }

    @Test
    void openTransactionHoldsReadCommittedConsumersAtItsFirstRecordUntilCommit() throws Exception {
        // Given a committed record, then an open transaction of a second producer
        broker.log().createTopic("tx-open", 1, Map.of());
        try (KafkaProducer<String, String> producer = producer("tx-open-1", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-open", 0, "k", "first")).get();
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-open", 0, "k", "pending")).get();

            // When consumers read while it is open
            // Then read_committed gets the first record only, and the last stable offset stops at the open one
            assertThat(values(readAll("tx-open", IsolationLevel.READ_COMMITTED, 1))).containsExactly("first");
            assertThat(values(readAll("tx-open", IsolationLevel.READ_UNCOMMITTED, 2))).containsExactly("first", "pending");
            try (Admin admin = admin()) {
                TopicPartition tp = new TopicPartition("tx-open", 0);
                long stable = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(tp).get().offset();
                long latest = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
                assertThat(stable).isEqualTo(2);
                assertThat(latest).isEqualTo(3);
                Collection<TransactionListing> listed = admin.listTransactions().all().get();
                assertThat(listed).anyMatch(l -> l.transactionalId().equals("tx-open-1")
                        && l.state() == TransactionState.ONGOING);
                TransactionDescription described = admin.describeTransactions(List.of("tx-open-1"))
                        .description("tx-open-1").get();
                assertThat(described.state()).isEqualTo(TransactionState.ONGOING);
                assertThat(described.topicPartitions()).containsExactly(tp);
            }
            producer.commitTransaction();
        }
        assertThat(values(readAll("tx-open", IsolationLevel.READ_COMMITTED, 2))).containsExactly("first", "pending");
    }

    @Test
    void consumeTransformProduceCommitsOutputAndOffsetsTogether() throws Exception {
        // Given 5 input records and a consumer group reading them
        broker.log().createTopic("ctp-in", 1, Map.of());
        broker.log().createTopic("ctp-out", 1, Map.of());
        try (KafkaProducer<String, String> plain = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                plain.send(new ProducerRecord<>("ctp-in", 0, "k", "in-" + i)).get();
            }
        }
        Properties consumerProps = consumerProps(IsolationLevel.READ_COMMITTED);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "ctp-group");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps);
             KafkaProducer<String, String> producer = producer("ctp-1", Map.of())) {
            producer.initTransactions();
            consumer.subscribe(List.of("ctp-in"));
            List<ConsumerRecord<String, String>> input = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (input.size() < 5 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(input::add);
            }
            assertThat(input).hasSize(5);

            // When it transforms them in one transaction with sendOffsetsToTransaction and commits
            producer.beginTransaction();
            for (ConsumerRecord<String, String> record : input) {
                producer.send(new ProducerRecord<>("ctp-out", 0, record.key(), record.value().replace("in", "out")));
            }
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition("ctp-in", 0), new OffsetAndMetadata(5)),
                    consumer.groupMetadata());
            producer.commitTransaction();
        }

        // Then the output is readable committed, and the group's committed offset is 5
        assertThat(values(readAll("ctp-out", IsolationLevel.READ_COMMITTED, 5)))
                .containsExactly("out-0", "out-1", "out-2", "out-3", "out-4");
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("ctp-group")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition("ctp-in", 0)).offset()).isEqualTo(5);
        }
    }

    @Test
    void offsetHeldByAnOpenTransactionIsUnstableForReadCommittedConsumers() throws Exception {
        // Given an open transaction that sent offset 3 of group unstable-group for partition 0
        broker.log().createTopic("ctp-unstable", 1, Map.of());
        TopicPartition tp = new TopicPartition("ctp-unstable", 0);
        Properties props = consumerProps(IsolationLevel.READ_COMMITTED);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "unstable-group");
        try (KafkaProducer<String, String> producer = producer("ctp-unstable-1", Map.of());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("ctp-unstable", 0, "k", "v")).get();
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(3)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("unstable-group"));

            // When a read_committed consumer asks for the committed offset (OffsetFetch with RequireStable)
            // Then it gets no answer while the transaction is open (UNSTABLE_OFFSET_COMMIT, retried until
            // its timeout), and offset 3 once the transaction committed
            assertThatThrownBy(() -> consumer.committed(java.util.Set.of(tp), Duration.ofSeconds(2)))
                    .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            producer.commitTransaction();
            assertThat(consumer.committed(java.util.Set.of(tp), Duration.ofSeconds(20)).get(tp).offset()).isEqualTo(3);
        }
    }

    @Test
    void abortedTransactionLeavesTheGroupsOffsetsAlone() throws Exception {
        // Given a transaction that sends offsets of a group
        broker.log().createTopic("ctp-abort", 1, Map.of());
        try (KafkaProducer<String, String> producer = producer("ctp-abort-1", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("ctp-abort", 0, "k", "v")).get();
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition("ctp-abort", 0), new OffsetAndMetadata(1)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("abort-group"));

            // When it aborts
            producer.abortTransaction();
        }

        // Then the group has no committed offset
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("abort-group")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition("ctp-abort", 0))).isNull();
        }
    }

    @Test
    void newInstanceFencesTheZombieAndAbortsItsTransaction() throws Exception {
        // Given a producer with an open transaction holding one record
        broker.log().createTopic("tx-zombie", 1, Map.of());
        try (KafkaProducer<String, String> zombie = producer("tx-zombie-1", Map.of())) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("tx-zombie", 0, "k", "zombie")).get();

            // When a second instance with the same transactional id starts and commits its own transaction
            try (KafkaProducer<String, String> successor = producer("tx-zombie-1", Map.of())) {
                successor.initTransactions();
                successor.beginTransaction();
                successor.send(new ProducerRecord<>("tx-zombie", 0, "k", "successor")).get();
                successor.commitTransaction();
            }

            // Then the zombie's next write or commit fails as fenced
            assertThatThrownBy(() -> {
                zombie.send(new ProducerRecord<>("tx-zombie", 0, "k", "late")).get();
                zombie.commitTransaction();
            }).satisfiesAnyOf(
                    e -> assertThat(e).hasStackTraceContaining("ProducerFencedException"),
                    e -> assertThat(e).hasStackTraceContaining("InvalidProducerEpochException"));
        }

        // And read_committed sees the successor's record only
        assertThat(values(readAll("tx-zombie", IsolationLevel.READ_COMMITTED, 1))).containsExactly("successor");
    }

    @Test
    void abandonedTransactionIsAbortedAtItsTimeoutSoTheStableOffsetMovesOn() throws Exception {
        // Given a producer with a 2 s transaction timeout that writes and then goes silent
        broker.log().createTopic("tx-timeout", 1, Map.of());
        TopicPartition tp = new TopicPartition("tx-timeout", 0);
        try (KafkaProducer<String, String> producer = producer("tx-timeout-1",
                Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "2000"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-timeout", 0, "k", "abandoned")).get();

            // When the coordinator's timeout check runs past its timeout
            // Then the last stable offset moves past the aborted transaction (its marker at offset 1)
            try (Admin admin = admin()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long stable = 0;
                while (stable < 2 && System.nanoTime() < deadline) {
                    stable = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(tp).get().offset();
                    if (stable < 2) {
                        Thread.sleep(100);
                    }
                }
                assertThat(stable).isEqualTo(2);
            }

            // And the producer's commit fails, since its transaction was aborted under a new epoch
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(KafkaException.class);
        }
        assertThat(readAll("tx-timeout", IsolationLevel.READ_COMMITTED, 0)).isEmpty();
        assertThat(values(readAll("tx-timeout", IsolationLevel.READ_UNCOMMITTED, 1))).containsExactly("abandoned");
    }

    @Test
    void adminAbortsAHangingTransactionFoundWithDescribeProducers() throws Exception {
        // Given a producer whose transaction stays open on partition 0
        broker.log().createTopic("tx-hanging", 1, Map.of());
        TopicPartition tp = new TopicPartition("tx-hanging", 0);
        try (KafkaProducer<String, String> producer = producer("tx-hanging-1", Map.of());
             Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-hanging", 0, "k", "hanging")).get();
            ProducerState state = admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers()
                    .get(0);
            assertThat(state.currentTransactionStartOffset()).hasValue(0L);

            // When the admin client aborts it (WriteTxnMarkers, as kafka-transactions abort does)
            admin.abortTransaction(new AbortTransactionSpec(tp, state.producerId(), (short) state.producerEpoch(),
                    state.coordinatorEpoch().orElse(-1))).all().get();

            // Then the last stable offset passes the abort marker and read_committed sees nothing
            long stable = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(tp).get().offset();
            assertThat(stable).isEqualTo(2);
            assertThat(admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers().get(0)
                    .currentTransactionStartOffset()).isEmpty();
        }
        assertThat(readAll("tx-hanging", IsolationLevel.READ_COMMITTED, 0)).isEmpty();
    }

    /** Reads the topic from the start until {@code expected} records came, then polls once more for extras. */
    private static List<ConsumerRecord<String, String>> readAll(String topic, IsolationLevel isolation, int expected) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(isolation))) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            // one more poll: anything past the expected count would be a record that should not be seen
            consumer.poll(Duration.ofMillis(500)).forEach(received::add);
        }
        return received;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static KafkaProducer<String, String> producer(String transactionalId, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.putAll(overrides);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static Properties consumerProps(IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(java.util.Locale.ROOT));
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
