package io.tributary.differential;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Topic administration, records and offsets, and producer-side rejections: each scenario runs against Kafka and
 * Tributary, and the outcome (value or exception class) must be Kafka's expected one on both.
 */
@ExtendWith(BrokerPairExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TopicDifferentialIT {
    /** Set by {@link BrokerPairExtension}. */
    private static BrokerPair brokers;
    /** Set by {@link BrokerPairExtension}. */
    private static Map<String, Admin> admins = Map.of();

    @Test
    @Timeout(60)
    void createTopicWithExistingName() {
        differential("error TopicExistsException", (b, admin) -> Outcome.of(() -> {
            create(admin, "existing", 1);
            return admin.createTopics(List.of(new NewTopic("existing", 1, (short) 1))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void createTopicWithZeroPartitions() {
        differential("error InvalidPartitionsException", (b, admin) -> Outcome.of(() ->
                admin.createTopics(List.of(new NewTopic("zero-partitions", 0, (short) 1))).all().get()));
    }

    @Test
    @Timeout(60)
    void createTopicWithReplicationFactorAboveBrokerCount() {
        differential("error InvalidReplicationFactorException", (b, admin) -> Outcome.of(() ->
                admin.createTopics(List.of(new NewTopic("rf-three", 1, (short) 3))).all().get()));
    }

    @Test
    @Timeout(60)
    void createTopicWithInvalidName() {
        differential("error InvalidTopicException", (b, admin) -> Outcome.of(() ->
                admin.createTopics(List.of(new NewTopic("bad name!", 1, (short) 1))).all().get()));
    }

    @Test
    @Timeout(60)
    void createTopicValidateOnlyCreatesNothing() {
        differential("ok partitions=2 exists=false", (b, admin) -> Outcome.of(() -> {
            var result = admin.createTopics(List.of(new NewTopic("validate-only", 2, (short) 1)),
                    new CreateTopicsOptions().validateOnly(true));
            result.all().get();
            return "partitions=" + result.numPartitions("validate-only").get()
                    + " exists=" + admin.listTopics().names().get().contains("validate-only");
        }));
    }

    @Test
    @Timeout(60)
    void deleteUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() ->
                admin.deleteTopics(List.of("never-created")).all().get()));
    }

    @Test
    @Timeout(60)
    void describeUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() ->
                admin.describeTopics(List.of("never-created")).allTopicNames().get()));
    }

    @Test
    @Timeout(60)
    void createPartitionsToFewerThanExisting() {
        differential("error InvalidPartitionsException", (b, admin) -> Outcome.of(() -> {
            create(admin, "three-partitions", 3);
            return admin.createPartitions(Map.of("three-partitions", NewPartitions.increaseTo(2))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void createTopicsAboveThePartitionBoundPerRequest() {
        differential("ok PolicyViolationException exists=false", (b, admin) -> Outcome.of(() -> {
            String refusal = Outcome.of(() -> admin.createTopics(List.of(new NewTopic("bound-a", 9_999, (short) 1),
                    new NewTopic("bound-b", 2, (short) 1))).all().get()).replace("error ", "");
            return refusal + " exists=" + admin.listTopics().names().get().contains("bound-a");
        }));
    }

    @Test
    @Timeout(60)
    void createPartitionsAboveThePartitionBoundPerRequest() {
        // validateOnly, so that no broker is made to create 10,000 partitions should it not refuse them
        differential("ok bound-grow=PolicyViolationException bound-ok=PolicyViolationException never-created="
                + "UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() -> {
            create(admin, "bound-grow", 1);
            create(admin, "bound-ok", 1);
            var refused = admin.createPartitions(Map.of("bound-grow", NewPartitions.increaseTo(10_002),
                    "bound-ok", NewPartitions.increaseTo(2)),
                    new CreatePartitionsOptions().validateOnly(true)).values();
            var unknown = admin.createPartitions(Map.of("never-created", NewPartitions.increaseTo(10_002)),
                    new CreatePartitionsOptions().validateOnly(true)).values();
            return "bound-grow=" + error(refused.get("bound-grow")) + " bound-ok=" + error(refused.get("bound-ok"))
                    + " never-created=" + error(unknown.get("never-created"));
        }));
    }

    @Test
    @Timeout(60)
    void createPartitionsToSameCount() {
        differential("error InvalidPartitionsException", (b, admin) -> Outcome.of(() -> {
            create(admin, "same-partitions", 2);
            return admin.createPartitions(Map.of("same-partitions", NewPartitions.increaseTo(2))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void deleteRecordsBeyondHighWatermark() {
        differential("error OffsetOutOfRangeException", (b, admin) -> Outcome.of(() -> {
            create(admin, "delete-beyond", 1);
            produce(b, "delete-beyond", 3);
            return admin.deleteRecords(Map.of(new TopicPartition("delete-beyond", 0),
                    RecordsToDelete.beforeOffset(10))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void deleteRecordsUpToHighWatermarkMovesLogStart() {
        differential("ok lowWatermark=3 earliest=3", (b, admin) -> Outcome.of(() -> {
            create(admin, "delete-all", 1);
            produce(b, "delete-all", 3);
            TopicPartition tp = new TopicPartition("delete-all", 0);
            long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).lowWatermarks().get(tp)
                    .get().lowWatermark();
            long earliest = admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset();
            return "lowWatermark=" + low + " earliest=" + earliest;
        }));
    }

    /**
     * A search by time never answers a record below the log start, whether DeleteRecords cut a stored batch in
     * two (five records sent as one batch) or left whole batches below it (one record per batch).
     */
    @Test
    @Timeout(60)
    void listOffsetsByTimestampAfterDeleteRecordsStartsAtTheLogStart() {
        differential("ok oneBatch=3 batchPerRecord=3", (b, admin) -> Outcome.of(() -> {
            create(admin, "time-after-delete-one", 1);
            create(admin, "time-after-delete-many", 1);
            try (KafkaProducer<byte[], byte[]> producer = producer(b, Map.of(ProducerConfig.LINGER_MS_CONFIG, "5000"))) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("time-after-delete-one", 0, null, new byte[8]));
                }
                producer.flush();
            }
            produce(b, "time-after-delete-many", 5);
            StringBuilder out = new StringBuilder();
            for (String topic : List.of("time-after-delete-one", "time-after-delete-many")) {
                TopicPartition tp = new TopicPartition(topic, 0);
                admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).all().get();
                out.append(topic.endsWith("one") ? "oneBatch=" : " batchPerRecord=").append(admin.listOffsets(
                        Map.of(tp, OffsetSpec.forTimestamp(0))).partitionResult(tp).get().offset());
            }
            return out.toString();
        }));
    }

    @Test
    @Timeout(60)
    void deleteRecordsBeforeHighWatermarkSentinel() {
        differential("ok lowWatermark=4", (b, admin) -> Outcome.of(() -> {
            create(admin, "delete-to-hw", 1);
            produce(b, "delete-to-hw", 4);
            TopicPartition tp = new TopicPartition("delete-to-hw", 0);
            // -1 means "up to the high watermark" in the DeleteRecords API
            return "lowWatermark=" + admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1)))
                    .lowWatermarks().get(tp).get().lowWatermark();
        }));
    }

    @Test
    @Timeout(60)
    void listOffsetsByTimestampAfterLastRecord() {
        differential("ok offset=-1 timestamp=-1", (b, admin) -> Outcome.of(() -> {
            create(admin, "by-time", 1);
            produce(b, "by-time", 2);
            TopicPartition tp = new TopicPartition("by-time", 0);
            var info = admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(System.currentTimeMillis() + 60_000)))
                    .partitionResult(tp).get();
            return "offset=" + info.offset() + " timestamp=" + info.timestamp();
        }));
    }

    @Test
    @Timeout(60)
    void listOffsetsLatestAndMaxTimestamp() {
        differential("ok latest=3 maxTimestampOffset=1", (b, admin) -> Outcome.of(() -> {
            create(admin, "max-time", 1);
            long now = System.currentTimeMillis();
            try (KafkaProducer<byte[], byte[]> producer = producer(b, Map.of())) {
                long[] timestamps = {now - 3000, now - 1000, now - 2000};
                for (long ts : timestamps) {
                    producer.send(new ProducerRecord<>("max-time", 0, ts, null, new byte[8])).get();
                }
            }
            TopicPartition tp = new TopicPartition("max-time", 0);
            long latest = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
            long max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp())).partitionResult(tp).get().offset();
            return "latest=" + latest + " maxTimestampOffset=" + max;
        }));
    }

    @Test
    @Timeout(60)
    void listOffsetsEarliestLocalAndLatestTiered() {
        differential("ok earliestLocal=2 latestTiered=-1", (b, admin) -> Outcome.of(() -> {
            create(admin, "local-tiered", 1);
            produce(b, "local-tiered", 4);
            TopicPartition tp = new TopicPartition("local-tiered", 0);
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(2))).all().get();
            long local = admin.listOffsets(Map.of(tp, OffsetSpec.earliestLocal())).partitionResult(tp).get().offset();
            long tiered = admin.listOffsets(Map.of(tp, OffsetSpec.latestTiered())).partitionResult(tp).get().offset();
            return "earliestLocal=" + local + " latestTiered=" + tiered;
        }));
    }

    @Test
    @Timeout(60)
    void describeClusterShowsOneNodeAndAController() {
        differential("ok nodes=1 controllerIsTheNode=true clusterId=true", (b, admin) -> Outcome.of(() -> {
            var cluster = admin.describeCluster();
            var nodes = cluster.nodes().get();
            return "nodes=" + nodes.size() + " controllerIsTheNode=" + nodes.contains(cluster.controller().get())
                    + " clusterId=" + (cluster.clusterId().get() != null);
        }));
    }

    @Test
    @Timeout(60)
    void produceRecordLargerThanTopicMaxMessageBytes() {
        differential("error RecordTooLargeException", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, new NewTopic("small-messages", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "1024")));
            try (KafkaProducer<byte[], byte[]> producer = producer(b, Map.of())) {
                return producer.send(new ProducerRecord<>("small-messages", new byte[4096])).get();
            }
        }));
    }

    @Test
    @Timeout(60)
    void produceTimestampBeyondAfterMax() {
        differential("error InvalidTimestampException", (b, admin) -> Outcome.of(() -> {
            create(admin, "future", 1);
            long farFuture = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(2);
            try (KafkaProducer<byte[], byte[]> producer = producer(b, Map.of())) {
                return producer.send(new ProducerRecord<>("future", 0, farFuture, null, new byte[8])).get();
            }
        }));
    }

    @Test
    @Timeout(60)
    void produceToUnknownTopicWithAutoCreateOff() {
        differential("error TimeoutException", (b, admin) -> Outcome.of(() -> {
            try (KafkaProducer<byte[], byte[]> producer =
                         producer(b, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1500"))) {
                return producer.send(new ProducerRecord<>("no-auto-create", new byte[8])).get();
            }
        }));
        // and neither broker created it on the way
        differential("ok false", (b, admin) -> Outcome.of(() ->
                admin.listTopics().names().get().contains("no-auto-create")));
    }

    @Test
    @Timeout(60)
    void logAppendTimeTopicStampsRecordsWithBrokerTime() {
        differential("ok metadataTimestampIsBrokerTime=true", (b, admin) -> Outcome.of(() -> {
            Differential.createTopic(admin, new NewTopic("append-time", 1, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")));
            long before = System.currentTimeMillis();
            long createTime = before - 100_000;
            try (KafkaProducer<byte[], byte[]> producer = producer(b, Map.of())) {
                long stamped = producer.send(new ProducerRecord<>("append-time", 0, createTime, null, new byte[8]))
                        .get().timestamp();
                return "metadataTimestampIsBrokerTime=" + (stamped >= before && stamped <= System.currentTimeMillis());
            }
        }));
    }

    @Test
    @Timeout(60)
    void transactionalProducerInitialises() {
        differential("ok initialised, committed", (b, admin) -> Outcome.of(() -> {
            create(admin, "transactional", 1);
            try (KafkaProducer<byte[], byte[]> producer = producer(b, Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1", ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("transactional", 0, null, new byte[8]));
                producer.commitTransaction();
                return "initialised, committed";
            }
        }));
    }

    @Test
    @Timeout(60)
    void electLeadersOnOneNodeIsNeverNeeded() {
        differential("ok preferred=ElectionNotNeededException unclean=ElectionNotNeededException"
                + " missingPartition=UnknownTopicOrPartitionException missingTopic=UnknownTopicOrPartitionException all={}",
                (b, admin) -> Outcome.of(() -> {
                    create(admin, "elect", 2);
                    TopicPartition p0 = new TopicPartition("elect", 0);
                    TopicPartition p9 = new TopicPartition("elect", 9);
                    TopicPartition missing = new TopicPartition("never-created", 0);
                    return "preferred=" + electionError(admin, ElectionType.PREFERRED, p0)
                            + " unclean=" + electionError(admin, ElectionType.UNCLEAN, p0)
                            + " missingPartition=" + electionError(admin, ElectionType.PREFERRED, p9)
                            + " missingTopic=" + electionError(admin, ElectionType.PREFERRED, missing)
                            + " all=" + admin.electLeaders(ElectionType.PREFERRED, null).partitions().get();
                }));
    }

    @Test
    @Timeout(60)
    void partitionReassignmentsOnOneNode() {
        differential("ok same=ok other=error InvalidReplicaAssignmentException twice=error InvalidReplicaAssignmentException"
                + " cancel=error NoReassignmentInProgressException missing=error UnknownTopicOrPartitionException listed={}",
                (b, admin) -> Outcome.of(() -> {
                    create(admin, "reassign", 1);
                    TopicPartition p0 = new TopicPartition("reassign", 0);
                    return "same=" + reassign(admin, p0, Optional.of(new NewPartitionReassignment(List.of(1))))
                            + " other=" + reassign(admin, p0, Optional.of(new NewPartitionReassignment(List.of(2))))
                            + " twice=" + reassign(admin, p0, Optional.of(new NewPartitionReassignment(List.of(1, 1))))
                            + " cancel=" + reassign(admin, p0, Optional.empty())
                            + " missing=" + reassign(admin, new TopicPartition("never-created", 0),
                                    Optional.of(new NewPartitionReassignment(List.of(1))))
                            + " listed=" + admin.listPartitionReassignments().reassignments().get();
                }));
    }

    private static String error(org.apache.kafka.common.KafkaFuture<Void> result) {
        return Outcome.of(result::get).replace("error ", "");
    }

    private static String electionError(Admin admin, ElectionType type, TopicPartition partition) throws Exception {
        Optional<Throwable> error = admin.electLeaders(type, Set.of(partition)).partitions().get().get(partition);
        return error.map(e -> e.getClass().getSimpleName()).orElse("elected");
    }

    private static String reassign(Admin admin, TopicPartition partition, Optional<NewPartitionReassignment> target) {
        String outcome = Outcome.of(() -> admin.alterPartitionReassignments(Map.of(partition, target)).all().get());
        return outcome.equals("ok null") ? "ok" : outcome;
    }

    private static void differential(String expected, Differential.Scenario scenario) {
        Differential.assertSameAs(expected, brokers, admins, scenario);
    }

    private static void create(Admin admin, String topic, int partitions) throws Exception {
        Differential.createTopic(admin, topic, partitions);
    }

    private static KafkaProducer<byte[], byte[]> producer(ChildBroker broker, Map<String, String> extra) {
        return Differential.producer(broker, extra);
    }

    private static void produce(ChildBroker broker, String topic, int count) throws Exception {
        Differential.produce(broker, topic, count);
    }
}
