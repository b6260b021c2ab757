package io.tributary.differential;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Transactions through kafka-clients 4.4 against Kafka 4.4 and Tributary: what each isolation level reads, the
 * last stable offset, the transaction APIs' answers and their errors must be Kafka's on both.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TransactionDifferentialIT {
    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    @Test
    @Timeout(90)
    void abortedAndCommittedRecordsPerIsolationLevel() {
        differential("ok committed=[c0, c1] uncommitted=[a0, c0, c1] stable=5 latest=5", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-levels", 1);
            try (KafkaProducer<byte[], byte[]> producer = transactional(b, "txn-levels-1", Map.of())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-levels", 0, null, "a0".getBytes())).get();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-levels", 0, null, "c0".getBytes()));
                producer.send(new ProducerRecord<>("txn-levels", 0, null, "c1".getBytes()));
                producer.commitTransaction();
            }
            TopicPartition tp = new TopicPartition("txn-levels", 0);
            return "committed=" + read(b, "txn-levels", IsolationLevel.READ_COMMITTED, 2)
                    + " uncommitted=" + read(b, "txn-levels", IsolationLevel.READ_UNCOMMITTED, 3)
                    + " stable=" + latest(admin, tp, IsolationLevel.READ_COMMITTED)
                    + " latest=" + latest(admin, tp, IsolationLevel.READ_UNCOMMITTED);
        }));
    }

    @Test
    @Timeout(90)
    void openTransactionIsDescribedAndHoldsTheStableOffset() {
        differential("ok state=Ongoing partitions=[txn-open-0] stable=0 latest=1", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-open", 1);
            try (KafkaProducer<byte[], byte[]> producer = transactional(b, "txn-open-1", Map.of())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-open", 0, null, "p".getBytes())).get();
                TopicPartition tp = new TopicPartition("txn-open", 0);
                TransactionDescription described = admin.describeTransactions(List.of("txn-open-1"))
                        .description("txn-open-1").get();
                String outcome = "state=" + described.state() + " partitions=" + described.topicPartitions()
                        + " stable=" + latest(admin, tp, IsolationLevel.READ_COMMITTED)
                        + " latest=" + latest(admin, tp, IsolationLevel.READ_UNCOMMITTED);
                producer.abortTransaction();
                return outcome;
            }
        }));
    }

    @Test
    @Timeout(60)
    void describeUnknownTransactionalId() {
        differential("error TransactionalIdNotFoundException", (b, admin) -> Outcome.of(() ->
                admin.describeTransactions(List.of("never-used")).description("never-used").get()));
    }

    @Test
    @Timeout(60)
    void transactionTimeoutAboveTheBrokerMaximum() {
        // initTransactions fails with a KafkaException ("Unexpected error in InitProducerIdResponse") whose root
        // is a KafkaException too, not InvalidTxnTimeoutException, on both
        differential("ok cause=KafkaException", (b, admin) -> Outcome.of(() -> {
            try (KafkaProducer<byte[], byte[]> producer = transactional(b, "txn-too-long",
                    Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900001"))) {
                producer.initTransactions();
                return "initialised";
            } catch (KafkaException e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return "cause=" + root.getClass().getSimpleName();
            }
        }));
    }

    @Test
    @Timeout(90)
    void zombieIsFencedBySecondInstance() {
        differential("ok zombie=error ProducerFencedException committed=[s]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-zombie", 1);
            try (KafkaProducer<byte[], byte[]> zombie = transactional(b, "txn-zombie-1", Map.of())) {
                zombie.initTransactions();
                zombie.beginTransaction();
                zombie.send(new ProducerRecord<>("txn-zombie", 0, null, "z".getBytes())).get();
                try (KafkaProducer<byte[], byte[]> successor = transactional(b, "txn-zombie-1", Map.of())) {
                    successor.initTransactions();
                    successor.beginTransaction();
                    successor.send(new ProducerRecord<>("txn-zombie", 0, null, "s".getBytes())).get();
                    successor.commitTransaction();
                }
                String zombieOutcome = Outcome.of(() -> {
                    zombie.commitTransaction();
                    return "committed";
                });
                return "zombie=" + zombieOutcome + " committed=" + read(b, "txn-zombie", IsolationLevel.READ_COMMITTED, 1);
            }
        }));
    }

    @Test
    @Timeout(90)
    void completedTransactionIsListedWithItsState() {
        differential("ok CompleteCommit", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-listed", 1);
            try (KafkaProducer<byte[], byte[]> producer = transactional(b, "txn-listed-1", Map.of())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-listed", 0, null, "x".getBytes()));
                producer.commitTransaction();
            }
            return admin.listTransactions().all().get().stream()
                    .filter(l -> l.transactionalId().equals("txn-listed-1"))
                    .map(l -> l.state().toString()).findFirst().orElse("missing");
        }));
    }

    /**
     * Not a same-answer scenario: Tributary's half-message extension APIs (docs/protocol.md) are unknown API keys
     * to Kafka, which closes the connection without an answer (the client says the broker does not support half
     * messages) and goes on serving other clients; Tributary answers the same request (here: the topic does
     * not exist).
     */
    @Test
    @Timeout(90)
    void halfMessagesAreRefusedByKafkaClosingTheConnectionAndAnsweredByTributary() throws Exception {
        String kafkaOutcome = sendHalf(brokers.kafka());
        String tributaryOutcome = sendHalf(brokers.tributary());

        org.assertj.core.api.Assertions.assertThat(kafkaOutcome)
                .contains("closed the connection without answering: it does not support half messages");
        org.assertj.core.api.Assertions.assertThat(tributaryOutcome).isEqualTo("error 3");
        org.assertj.core.api.Assertions.assertThat(admins.get(brokers.kafka().name()).describeCluster().nodes()
                .get(30, TimeUnit.SECONDS)).isNotEmpty();
    }

    private static String sendHalf(ChildBroker broker) {
        try (io.tributary.transactions.client.TransactionProducer producer =
                     new io.tributary.transactions.client.TransactionProducer("half-diff", broker.bootstrapServers())) {
            producer.setTransactionListener(new io.tributary.transactions.client.TransactionListener() {
                @Override
                public io.tributary.transactions.client.LocalTransactionState executeLocalTransaction(
                        io.tributary.transactions.client.Message message, Object arg) {
                    return io.tributary.transactions.client.LocalTransactionState.COMMIT_MESSAGE;
                }

                @Override
                public io.tributary.transactions.client.LocalTransactionState checkLocalTransaction(
                        io.tributary.transactions.client.MessageView message) {
                    return io.tributary.transactions.client.LocalTransactionState.UNKNOW;
                }
            });
            producer.setRequestTimeoutMs(20_000);
            producer.start();
            producer.sendMessageInTransaction(new io.tributary.transactions.client.Message("half-diff-missing",
                    "v".getBytes()), null);
            return "ok";
        } catch (io.tributary.transactions.client.TransactionException e) {
            return e.errorCode() == io.tributary.transactions.client.TransactionException.NO_ANSWER
                    ? "no answer: " + e.getMessage() : "error " + e.errorCode();
        }
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }

    private static KafkaProducer<byte[], byte[]> transactional(ChildBroker broker, String id, Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(extra);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        return Differential.producer(broker, settings);
    }

    private static long latest(Admin admin, TopicPartition tp, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                .partitionResult(tp).get().offset();
    }

    /** Partition 0's values from the start, until {@code expected} came, then one more poll for extras. */
    private static List<String> read(ChildBroker broker, String topic, IsolationLevel isolation, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value()));
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                values.add(new String(r.value()));
            }
        }
        return values;
    }
}
