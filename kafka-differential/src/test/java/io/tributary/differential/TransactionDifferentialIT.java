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

    /**
     * Transaction version 2: a second instance fences the first one's open transaction. Kafka 4.4 aborts it with
     * the next epoch (the marker's epoch is what DescribeProducers shows for the partition) and gives the new
     * instance the epoch after that; the old instance's next send and its abort are refused.
     */
    @Test
    @Timeout(120)
    void fencingAnOpenTransactionAbortsItWithTheNextEpochAndGivesTheNewInstanceTheOneAfter() {
        differential("ok before=0 after=2 marker=[1/closed] oldSend=error InvalidProducerEpochException"
                + " oldAbort=error ProducerFencedException final=3 committed=[s]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-fence", 1);
            TopicPartition tp = new TopicPartition("txn-fence", 0);
            try (KafkaProducer<byte[], byte[]> old = transactional(b, "txn-fence-1", Map.of())) {
                old.initTransactions();
                old.beginTransaction();
                old.send(new ProducerRecord<>("txn-fence", 0, null, "o".getBytes())).get();
                int before = epoch(admin, "txn-fence-1");
                try (KafkaProducer<byte[], byte[]> successor = transactional(b, "txn-fence-1", Map.of())) {
                    successor.initTransactions();
                    String fenced = "before=" + before + " after=" + epoch(admin, "txn-fence-1")
                            + " marker=" + producerState(admin, tp);
                    String send = Outcome.of(() -> old.send(new ProducerRecord<>("txn-fence", 0, null, "x".getBytes()))
                            .get(30, TimeUnit.SECONDS).offset());
                    String abort = Outcome.of(() -> {
                        old.abortTransaction();
                        return "aborted";
                    });
                    successor.beginTransaction();
                    successor.send(new ProducerRecord<>("txn-fence", 0, null, "s".getBytes()));
                    successor.commitTransaction();
                    return fenced + " oldSend=" + send + " oldAbort=" + abort + " final=" + epoch(admin, "txn-fence-1")
                            + " committed=" + read(b, "txn-fence", IsolationLevel.READ_COMMITTED, 1);
                }
            }
        }));
    }

    /**
     * Transaction version 2: a transaction open past its transaction.timeout.ms is aborted by the coordinator
     * with the next epoch (abort check every second on both); its producer's next send is refused, its abort is
     * answered as a retry of that bump, and its next transaction commits with the bumped epoch.
     */
    @Test
    @Timeout(120)
    void timedOutTransactionIsAbortedWithTheNextEpochAndItsProducerAbortsAndGoesOn() {
        differential("ok state=CompleteAbort epoch=1 marker=[1/closed] send=error InvalidProducerEpochException"
                + " abort=ok aborted next=ok committed final=2 committed=[t2]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-timeout", 1);
            TopicPartition tp = new TopicPartition("txn-timeout", 0);
            try (KafkaProducer<byte[], byte[]> producer = transactional(b, "txn-timeout-1",
                    Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "2000"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-timeout", 0, null, "t0".getBytes())).get();
                String state = awaitState(admin, "txn-timeout-1", "CompleteAbort");
                String aborted = "state=" + state + " epoch=" + epoch(admin, "txn-timeout-1")
                        + " marker=" + producerState(admin, tp);
                String send = Outcome.of(() -> producer.send(new ProducerRecord<>("txn-timeout", 0, null,
                        "t1".getBytes())).get(30, TimeUnit.SECONDS).offset());
                String abort = Outcome.of(() -> {
                    producer.abortTransaction();
                    return "aborted";
                });
                String next = Outcome.of(() -> {
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>("txn-timeout", 0, null, "t2".getBytes()));
                    producer.commitTransaction();
                    return "committed";
                });
                return aborted + " send=" + send + " abort=" + abort + " next=" + next + " final="
                        + epoch(admin, "txn-timeout-1")
                        + " committed=" + read(b, "txn-timeout", IsolationLevel.READ_COMMITTED, 1);
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

    /** DescribeTransactions of a completed transaction: what is left of its partitions and its start time. */
    @Test
    @Timeout(90)
    void completedTransactionIsDescribedWithoutItsPartitions() {
        differential("ok init=Empty/[]/start=false committed=CompleteCommit/[]/start=true"
                + " aborted=CompleteAbort/[]/start=true", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-described", 1);
            try (KafkaProducer<byte[], byte[]> producer = transactional(b, "txn-described-1", Map.of())) {
                producer.initTransactions();
                String init = described(admin, "txn-described-1");
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-described", 0, null, "c".getBytes()));
                producer.commitTransaction();
                String committed = described(admin, "txn-described-1");
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-described", 0, null, "a".getBytes())).get();
                producer.abortTransaction();
                return "init=" + init + " committed=" + committed + " aborted=" + described(admin, "txn-described-1");
            }
        }));
    }

    /** State, partitions and whether a start time is shown, once the state is no longer a Prepare one. */
    private static String described(Admin admin, String transactionalId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        TransactionDescription d;
        do {
            d = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get(30, TimeUnit.SECONDS);
            if (d.state().toString().startsWith("Prepare")) {
                Thread.sleep(50);
            }
        } while (d.state().toString().startsWith("Prepare") && System.nanoTime() < deadline);
        return d.state() + "/" + d.topicPartitions() + "/start=" + d.transactionStartTimeMs().isPresent();
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

    @Test
    @Timeout(90)
    void apiVersionsFinalizesTransactionVersion2() {
        differential("ok supported=0..2 finalized=2..2 epochSet=true", (b, admin) -> Outcome.of(() -> {
            org.apache.kafka.clients.admin.FeatureMetadata features = admin.describeFeatures().featureMetadata()
                    .get(30, TimeUnit.SECONDS);
            org.apache.kafka.clients.admin.SupportedVersionRange supported =
                    features.supportedFeatures().get("transaction.version");
            org.apache.kafka.clients.admin.FinalizedVersionRange finalized =
                    features.finalizedFeatures().get("transaction.version");
            return "supported=" + supported.minVersion() + ".." + supported.maxVersion()
                    + " finalized=" + finalized.minVersionLevel() + ".." + finalized.maxVersionLevel()
                    + " epochSet=" + features.finalizedFeaturesEpoch().map(epoch -> epoch >= 0).orElse(false);
        }));
    }

    @Test
    @Timeout(90)
    void producerEpochIsBumpedByEveryEndTxnOfTheClient() {
        differential("ok epochs=[1, 2, 3] committed=[c0, c1]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-bump", 1);
            List<Integer> epochs = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = transactional(b, "txn-bump-1", Map.of())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-bump", 0, null, "c0".getBytes()));
                producer.commitTransaction();
                epochs.add(epoch(admin, "txn-bump-1"));
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-bump", 0, null, "a0".getBytes())).get();
                producer.abortTransaction();
                epochs.add(epoch(admin, "txn-bump-1"));
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-bump", 0, null, "c1".getBytes()));
                producer.commitTransaction();
                epochs.add(epoch(admin, "txn-bump-1"));
            }
            return "epochs=" + epochs + " committed=" + read(b, "txn-bump", IsolationLevel.READ_COMMITTED, 2);
        }));
    }

    /**
     * EndTxn v5 sent by hand on a transactional id with nothing added: a commit is refused, an abort bumps the
     * epoch and answers it, a retry of it with the epoch before the bump is answered the same, the other
     * outcome with that epoch is refused, an unrelated epoch is fenced and another producer id unknown.
     */
    @Test
    @Timeout(90)
    void endTxnVersion5AnswersTheBumpedEpochAndItsRetries() {
        differential("ok commitEmpty=INVALID_TXN_STATE/-1/-1 abort=NONE/+0/1 retry=NONE/+0/1"
                        + " commitRetry=INVALID_TXN_STATE/-1/-1 stale=PRODUCER_FENCED/-1/-1"
                        + " otherId=INVALID_PRODUCER_ID_MAPPING/-1/-1",
                (b, admin) -> Outcome.of(() -> {
                    try (RawRequests raw = new RawRequests(b.bootstrapServers())) {
                        String id = "txn-endtxn5";
                        org.apache.kafka.common.message.InitProducerIdResponseData init = initProducerId(raw, id);
                        long pid = init.producerId();
                        short epoch = init.producerEpoch();
                        String commitEmpty = endTxn5(raw, id, pid, epoch, true, pid);
                        String abort = endTxn5(raw, id, pid, epoch, false, pid);
                        String retry = endTxn5(raw, id, pid, epoch, false, pid);
                        String commitRetry = endTxn5(raw, id, pid, epoch, true, pid);
                        String stale = endTxn5(raw, id, pid, (short) (epoch + 5), false, pid);
                        String otherId = endTxn5(raw, id, pid + 1000, epoch, false, pid);
                        return "commitEmpty=" + commitEmpty + " abort=" + abort + " retry=" + retry
                                + " commitRetry=" + commitRetry + " stale=" + stale + " otherId=" + otherId;
                    }
                }));
    }

    /**
     * The broker-to-broker AddPartitionsToTxn v5 (KIP-890 part 1) and TxnOffsetCommit v6 (topic ids, KIP-1319),
     * sent by hand: a verification before and after an add, a fenced epoch, an unknown transactional id, a
     * missing topic; offsets named by topic id (an unknown id, a missing partition) that a commit makes the
     * group's.
     */
    @Test
    @Timeout(180)
    void addPartitionsToTxnVersion5AndTxnOffsetCommitVersion6() {
        differential("ok findCoordinator=NONE verifyBefore=NONE[txn-v5-1/txn-v5-0=TRANSACTION_ABORTABLE]"
                + " add=NONE[txn-v5-1/txn-v5-0=NONE]"
                + " verifyAfter=NONE[txn-v5-1/txn-v5-0=NONE, txn-v5-1/txn-v5-1=TRANSACTION_ABORTABLE]"
                + " fenced=NONE[txn-v5-1/txn-v5-0=PRODUCER_FENCED]"
                + " unknownId=NONE[txn-v5-none/txn-v5-0=INVALID_PRODUCER_ID_MAPPING]"
                + " missing=NONE[txn-v5-1/txn-v5-0=OPERATION_NOT_ATTEMPTED,"
                + " txn-v5-1/txn-v5-missing-0=UNKNOWN_TOPIC_OR_PARTITION]"
                + " offsets=[known-0=NONE, known-9=UNKNOWN_TOPIC_OR_PARTITION, unknown-0=UNKNOWN_TOPIC_ID]"
                + " end=NONE/+0/1 group=[txn-v5-0@5]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-v5", 2);
            org.apache.kafka.common.Uuid topicId = admin.describeTopics(List.of("txn-v5")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("txn-v5").topicId();
            try (RawRequests raw = new RawRequests(b.bootstrapServers())) {
                String id = "txn-v5-1";
                org.apache.kafka.common.message.InitProducerIdResponseData init = initProducerId(raw, id);
                long pid = init.producerId();
                short epoch = init.producerEpoch();
                Map<String, List<Integer>> p0 = Map.of("txn-v5", List.of(0));
                String verifyBefore = addV5(raw, id, pid, epoch, true, p0);
                String add = addV5(raw, id, pid, epoch, false, p0);
                String verifyAfter = addV5(raw, id, pid, epoch, true, Map.of("txn-v5", List.of(0, 1)));
                String fenced = addV5(raw, id, pid, (short) (epoch + 1), true, p0);
                String unknownId = addV5(raw, "txn-v5-none", pid, epoch, true, p0);
                String missing = addV5(raw, id, pid, epoch, true, Map.of("txn-v5", List.of(0),
                        "txn-v5-missing", List.of(0)));
                org.apache.kafka.common.message.TxnOffsetCommitRequestData offsets =
                        new org.apache.kafka.common.message.TxnOffsetCommitRequestData().setTransactionalId(id)
                                .setGroupId("txn-v5-g").setProducerId(pid).setProducerEpoch(epoch);
                offsets.topics().add(offsetTopic(topicId, 0, 9));
                offsets.topics().add(offsetTopic(org.apache.kafka.common.Uuid.randomUuid(), 0));
                // Kafka creates __consumer_offsets at the first FindCoordinator of a group, then loads the
                // group's coordinator: retried meanwhile
                String coordinator = findCoordinator(raw, (byte) 0, "txn-v5-g");
                long loaded = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                org.apache.kafka.common.message.TxnOffsetCommitResponseData committed;
                do {
                    committed = (org.apache.kafka.common.message.TxnOffsetCommitResponseData) raw.send(
                            org.apache.kafka.common.protocol.ApiKeys.TXN_OFFSET_COMMIT, (short) 6, offsets);
                    if (coordinatorLoading(committed)) {
                        Thread.sleep(200);
                    }
                } while (coordinatorLoading(committed) && System.nanoTime() < loaded);
                List<String> offsetErrors = new ArrayList<>();
                committed.topics().forEach(t -> t.partitions().forEach(p -> offsetErrors.add(
                        (t.topicId().equals(topicId) ? "known" : "unknown") + "-" + p.partitionIndex() + "="
                                + org.apache.kafka.common.protocol.Errors.forCode(p.errorCode()).name())));
                String end = endTxn5(raw, id, pid, epoch, true, pid);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> group = Map.of();
                while (group.isEmpty() && System.nanoTime() < deadline) {
                    group = admin.listConsumerGroupOffsets("txn-v5-g").partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
                    if (group.isEmpty()) {
                        Thread.sleep(100);
                    }
                }
                return "findCoordinator=" + coordinator + " verifyBefore=" + verifyBefore + " add=" + add + " verifyAfter=" + verifyAfter
                        + " fenced=" + fenced + " unknownId=" + unknownId + " missing=" + missing
                        + " offsets=" + offsetErrors.stream().sorted().toList() + " end=" + end
                        + " group=" + group.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue().offset())
                        .toList();
            }
        }));
    }

    /**
     * sendOffsetsToTransaction with one offset whose metadata (5,000 chars) is above offset.metadata.max.bytes
     * (4,096) and one that fits: kafka-clients takes the partition's OFFSET_METADATA_TOO_LARGE as fatal, so the
     * producer can neither commit nor abort; the transaction is aborted at its timeout (3 s) and the group has
     * no offset.
     */
    @Test
    @Timeout(120)
    void sendOffsetsToTransactionWithMetadataTooLarge() {
        differential("ok sendOffsets=error KafkaException commit=error KafkaException"
                + " abort=error KafkaException state=CompleteAbort group=[]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-meta", 2);
            String sendOffsets;
            String commit;
            String abort;
            try (KafkaProducer<byte[], byte[]> producer = transactional(b, "txn-meta-1",
                    Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "3000"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-meta", 0, null, "m".getBytes())).get();
                sendOffsets = Outcome.of(() -> {
                    producer.sendOffsetsToTransaction(Map.of(
                                    new TopicPartition("txn-meta", 0),
                                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(5, "x".repeat(5_000)),
                                    new TopicPartition("txn-meta", 1),
                                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(3, "fits")),
                            new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("txn-meta-g"));
                    return "sent";
                });
                commit = Outcome.of(() -> {
                    producer.commitTransaction();
                    return "committed";
                });
                abort = Outcome.of(() -> {
                    producer.abortTransaction();
                    return "aborted";
                });
            }
            String state = awaitState(admin, "txn-meta-1", "CompleteAbort");
            return "sendOffsets=" + sendOffsets + " commit=" + commit + " abort=" + abort + " state=" + state
                    + " group=" + groupOffsets(admin, "txn-meta-g");
        }));
    }

    /**
     * TxnOffsetCommit v5 by hand (transaction version 2, the group added by the commit itself): one request with
     * metadata too large for partition 0 and fitting for partition 1, a second with only the too-large one; then
     * EndTxn v5 commit: the too-large offset is refused at once and never stored, the other one is committed.
     */
    @Test
    @Timeout(120)
    void txnOffsetCommitWithMetadataTooLarge() {
        differential("ok mixed=[0=OFFSET_METADATA_TOO_LARGE, 1=NONE] tooLarge=[0=OFFSET_METADATA_TOO_LARGE]"
                + " end=NONE/+0/1 state=CompleteCommit group=[txn-meta-raw-1@7/4]", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, "txn-meta-raw", 2);
            try (RawRequests raw = new RawRequests(b.bootstrapServers())) {
                String id = "txn-meta-raw-1";
                org.apache.kafka.common.message.InitProducerIdResponseData init = initProducerId(raw, id);
                long pid = init.producerId();
                short epoch = init.producerEpoch();
                findCoordinator(raw, (byte) 0, "txn-meta-raw-g");
                String mixed = txnOffsetCommit5(raw, id, pid, epoch, "txn-meta-raw-g", "txn-meta-raw",
                        Map.of(0, "x".repeat(5_000), 1, "fits"));
                String tooLarge = txnOffsetCommit5(raw, id, pid, epoch, "txn-meta-raw-g", "txn-meta-raw",
                        Map.of(0, "y".repeat(4_097)));
                String end = endTxn5(raw, id, pid, epoch, true, pid);
                String state = awaitState(admin, id, "CompleteCommit");
                return "mixed=" + mixed + " tooLarge=" + tooLarge + " end=" + end + " state=" + state
                        + " group=" + groupOffsets(admin, "txn-meta-raw-g");
            }
        }));
    }

    /** TxnOffsetCommit v5 of offset 7 for each partition with its metadata, retried while the group coordinator loads; the errors by partition. */
    private static String txnOffsetCommit5(RawRequests raw, String id, long pid, short epoch, String group, String topic,
                                           Map<Integer, String> metadata) throws Exception {
        var request = new org.apache.kafka.common.message.TxnOffsetCommitRequestData().setTransactionalId(id)
                .setGroupId(group).setProducerId(pid).setProducerEpoch(epoch);
        var offsets = new org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                .setName(topic);
        metadata.forEach((partition, value) -> offsets.partitions().add(new org.apache.kafka.common.message
                .TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(partition)
                .setCommittedOffset(7).setCommittedMetadata(value)));
        request.topics().add(offsets);
        long loaded = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        org.apache.kafka.common.message.TxnOffsetCommitResponseData response;
        do {
            response = (org.apache.kafka.common.message.TxnOffsetCommitResponseData) raw.send(
                    org.apache.kafka.common.protocol.ApiKeys.TXN_OFFSET_COMMIT, (short) 5, request);
            if (coordinatorLoading(response)) {
                Thread.sleep(200);
            }
        } while (coordinatorLoading(response) && System.nanoTime() < loaded);
        List<String> errors = new ArrayList<>();
        response.topics().forEach(t -> t.partitions().forEach(p -> errors.add(p.partitionIndex() + "="
                + org.apache.kafka.common.protocol.Errors.forCode(p.errorCode()).name())));
        return errors.stream().sorted().toList().toString();
    }

    /**
     * The group's committed offsets with the length of their metadata, sorted (requireStable, retried for up to
     * 30 s while an offset is UNSTABLE_OFFSET_COMMIT). Asked once the transaction is complete: a commit's offsets
     * are written after EndTxn is answered.
     */
    private static String groupOffsets(Admin admin, String group) throws Exception {
        var options = new org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions().requireStable(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.listConsumerGroupOffsets(group, options).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).entrySet().stream()
                        .map(e -> e.getKey() + "@" + e.getValue().offset() + "/" + e.getValue().metadata().length())
                        .sorted().toList().toString();
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    return Outcome.of(() -> {
                        throw e;
                    });
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean coordinatorLoading(org.apache.kafka.common.message.TxnOffsetCommitResponseData response) {
        return response.topics().stream().flatMap(t -> t.partitions().stream()).anyMatch(p ->
                p.errorCode() == org.apache.kafka.common.protocol.Errors.COORDINATOR_NOT_AVAILABLE.code()
                        || p.errorCode() == org.apache.kafka.common.protocol.Errors.COORDINATOR_LOAD_IN_PROGRESS.code()
                        || p.errorCode() == org.apache.kafka.common.protocol.Errors.NOT_COORDINATOR.code());
    }

    /** AddPartitionsToTxn v5 for one transaction; the top-level error and each partition's, sorted. */
    private static String addV5(RawRequests raw, String id, long pid, short epoch, boolean verifyOnly,
                                Map<String, List<Integer>> partitions) throws Exception {
        var topics = new org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        partitions.forEach((topic, indexes) -> topics.add(
                new org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                        .setName(topic).setPartitions(indexes)));
        var request = new org.apache.kafka.common.message.AddPartitionsToTxnRequestData();
        request.transactions().add(new org.apache.kafka.common.message.AddPartitionsToTxnRequestData
                .AddPartitionsToTxnTransaction().setTransactionalId(id).setProducerId(pid).setProducerEpoch(epoch)
                .setVerifyOnly(verifyOnly).setTopics(topics));
        var response = (org.apache.kafka.common.message.AddPartitionsToTxnResponseData) raw.send(
                org.apache.kafka.common.protocol.ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5, request);
        List<String> errors = new ArrayList<>();
        response.resultsByTransaction().forEach(txn -> txn.topicResults().forEach(topic ->
                topic.resultsByPartition().forEach(p -> errors.add(txn.transactionalId() + "/" + topic.name() + "-"
                        + p.partitionIndex() + "="
                        + org.apache.kafka.common.protocol.Errors.forCode(p.partitionErrorCode()).name()))));
        return org.apache.kafka.common.protocol.Errors.forCode(response.errorCode()).name()
                + errors.stream().sorted().toList();
    }

    private static org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic offsetTopic(
            org.apache.kafka.common.Uuid topicId, int... partitions) {
        var topic = new org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                .setTopicId(topicId);
        for (int p : partitions) {
            topic.partitions().add(new org.apache.kafka.common.message.TxnOffsetCommitRequestData
                    .TxnOffsetCommitRequestPartition().setPartitionIndex(p).setCommittedOffset(5));
        }
        return topic;
    }

    /**
     * FindCoordinator v4, retried for up to 30 s: Kafka creates {@code __consumer_offsets} or
     * {@code __transaction_state} at the first one of its key type and answers COORDINATOR_NOT_AVAILABLE until then.
     */
    private static String findCoordinator(RawRequests raw, byte keyType, String key) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        short error;
        do {
            var found = (org.apache.kafka.common.message.FindCoordinatorResponseData) raw.send(
                    org.apache.kafka.common.protocol.ApiKeys.FIND_COORDINATOR, (short) 4,
                    new org.apache.kafka.common.message.FindCoordinatorRequestData().setKeyType(keyType)
                            .setCoordinatorKeys(List.of(key)));
            error = found.coordinators().get(0).errorCode();
            if (error != 0) {
                Thread.sleep(200);
            }
        } while (error != 0 && System.nanoTime() < deadline);
        return org.apache.kafka.common.protocol.Errors.forCode(error).name();
    }

    /**
     * InitProducerId v5 of a new transactional id after its FindCoordinator, retried for up to 60 s while the
     * coordinator is loading.
     */
    private static org.apache.kafka.common.message.InitProducerIdResponseData initProducerId(RawRequests raw, String id)
            throws Exception {
        findCoordinator(raw, (byte) 1, id);
        org.apache.kafka.common.message.InitProducerIdResponseData init = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        do {
            if (init != null) {
                Thread.sleep(200);
            }
            init = (org.apache.kafka.common.message.InitProducerIdResponseData) raw.send(
                    org.apache.kafka.common.protocol.ApiKeys.INIT_PRODUCER_ID, (short) 5,
                    new org.apache.kafka.common.message.InitProducerIdRequestData()
                            .setTransactionalId(id).setTransactionTimeoutMs(60_000)
                            .setProducerId(-1).setProducerEpoch((short) -1));
        } while (init.errorCode() != 0 && System.nanoTime() < deadline);
        return init;
    }

    /**
     * InitProducerId v5 naming the producer id and epoch (a client resuming): it bumps the epoch; retried with the
     * same epoch (a lost answer) it gets the bumped one again without a new bump; a wrong epoch or id is fenced.
     */
    @Test
    @Timeout(90)
    void initProducerIdNamingTheEpochBeforeTheLastBumpIsARetry() {
        differential("ok bump=NONE/+0/1 retry=NONE/+0/1 wrongEpoch=PRODUCER_FENCED/-1/-1"
                        + " wrongId=PRODUCER_FENCED/-1/-1 next=NONE/+0/2",
                (b, admin) -> Outcome.of(() -> {
                    try (RawRequests raw = new RawRequests(b.bootstrapServers())) {
                        String id = "txn-init-retry";
                        org.apache.kafka.common.message.InitProducerIdResponseData init = initProducerId(raw, id);
                        long pid = init.producerId();
                        return "bump=" + initAgain(raw, id, pid, (short) 0, pid)
                                + " retry=" + initAgain(raw, id, pid, (short) 0, pid)
                                + " wrongEpoch=" + initAgain(raw, id, pid, (short) 7, pid)
                                + " wrongId=" + initAgain(raw, id, pid + 1000, (short) 1, pid)
                                + " next=" + initAgain(raw, id, pid, (short) 1, pid);
                    }
                }));
    }

    /** InitProducerId v5 with an expected id and epoch; the answer with the producer id relative to {@code basePid}. */
    private static String initAgain(RawRequests raw, String id, long pid, short epoch, long basePid) throws Exception {
        var response = (org.apache.kafka.common.message.InitProducerIdResponseData) raw.send(
                org.apache.kafka.common.protocol.ApiKeys.INIT_PRODUCER_ID, (short) 5,
                new org.apache.kafka.common.message.InitProducerIdRequestData().setTransactionalId(id)
                        .setTransactionTimeoutMs(60_000).setProducerId(pid).setProducerEpoch(epoch));
        String producerId = response.producerId() < 0 ? Long.toString(response.producerId())
                : "+" + (response.producerId() - basePid);
        return org.apache.kafka.common.protocol.Errors.forCode(response.errorCode()).name() + "/" + producerId + "/"
                + response.producerEpoch();
    }

    /** EndTxn v5, retried while CONCURRENT_TRANSACTIONS; the answer with the producer id relative to {@code basePid}. */
    private static String endTxn5(RawRequests raw, String id, long pid, short epoch, boolean commit, long basePid)
            throws Exception {
        org.apache.kafka.common.message.EndTxnResponseData response;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        do {
            response = (org.apache.kafka.common.message.EndTxnResponseData) raw.send(
                    org.apache.kafka.common.protocol.ApiKeys.END_TXN, (short) 5,
                    new org.apache.kafka.common.message.EndTxnRequestData().setTransactionalId(id)
                            .setProducerId(pid).setProducerEpoch(epoch).setCommitted(commit));
            if (response.errorCode() == org.apache.kafka.common.protocol.Errors.CONCURRENT_TRANSACTIONS.code()) {
                Thread.sleep(50);
            }
        } while (response.errorCode() == org.apache.kafka.common.protocol.Errors.CONCURRENT_TRANSACTIONS.code()
                && System.nanoTime() < deadline);
        String producerId = response.producerId() < 0 ? Long.toString(response.producerId())
                : "+" + (response.producerId() - basePid);
        return org.apache.kafka.common.protocol.Errors.forCode(response.errorCode()).name() + "/" + producerId + "/"
                + response.producerEpoch();
    }

    /** The one producer DescribeProducers shows for {@code tp}: its epoch (a marker's, once one is written) and whether a transaction is open. */
    private static String producerState(Admin admin, TopicPartition tp) throws Exception {
        List<org.apache.kafka.clients.admin.ProducerState> producers = admin.describeProducers(List.of(tp))
                .partitionResult(tp).get(30, TimeUnit.SECONDS).activeProducers();
        return producers.stream().map(p -> p.producerEpoch() + (p.currentTransactionStartOffset().isPresent()
                ? "/open" : "/closed")).toList().toString();
    }

    /** Waits up to 60 s until DescribeTransactions shows {@code state}; the last state seen. */
    private static String awaitState(Admin admin, String transactionalId, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String seen;
        do {
            seen = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                    .get(30, TimeUnit.SECONDS).state().toString();
            if (!seen.equals(state)) {
                Thread.sleep(100);
            }
        } while (!seen.equals(state) && System.nanoTime() < deadline);
        return seen;
    }

    private static int epoch(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                .get(30, TimeUnit.SECONDS).producerEpoch();
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
