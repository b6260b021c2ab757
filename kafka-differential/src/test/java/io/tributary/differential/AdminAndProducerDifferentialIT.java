package io.tributary.differential;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Admin API errors and producer-side rejections: each scenario runs against Kafka and Tributary, and the
 * outcome (value or exception class) must be Kafka's expected one on both.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AdminAndProducerDifferentialIT {
    private static BrokerPair brokers;
    private static Map<String, Admin> admins = Map.of();

    @BeforeAll
    static void startBrokers() throws Exception {
        brokers = BrokerPair.start();
        admins = Differential.admins(brokers);
    }

    @AfterAll
    static void stopBrokers() {
        admins.values().forEach(Admin::close);
        if (brokers != null) {
            brokers.close();
        }
    }

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
    void createTopicWithUnparsableConfigValue() {
        differential("error InvalidConfigurationException", (b, admin) -> Outcome.of(() ->
                admin.createTopics(List.of(new NewTopic("bad-retention", 1, (short) 1)
                        .configs(Map.of("retention.ms", "abc")))).all().get()));
    }

    @Test
    @Timeout(60)
    void createTopicWithUnknownConfigKey() {
        differential("error InvalidConfigurationException", (b, admin) -> Outcome.of(() ->
                admin.createTopics(List.of(new NewTopic("unknown-key", 1, (short) 1)
                        .configs(Map.of("no.such.config", "1")))).all().get()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"retention.ms=3600000", "segment.ms=600000", "max.message.bytes=2000000"})
    @Timeout(60)
    void createTopicWithCommonKafkaConfig(String setting) {
        differential("ok created", (b, admin) -> Outcome.of(() -> createWith(admin, setting)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cleanup.policy=delete", "cleanup.policy=compact", "min.insync.replicas=1",
        "compression.type=producer"})
    @Timeout(60)
    @Disabled("CreateTopics with standard Kafka topic configs that Tributary does not implement (cleanup.policy, "
            + "even =delete; min.insync.replicas; compression.type): Kafka creates the topic, Tributary answers "
            + "INVALID_CONFIG (InvalidConfigurationException 'Unknown topic config name') - LogConfig.KEYS only")
    void createTopicWithKafkaConfigTributaryLacks(String setting) {
        differential("ok created", (b, admin) -> Outcome.of(() -> createWith(admin, setting)));
    }

    @Test
    @Timeout(60)
    void createTopicWithInvalidName() {
        differential("error InvalidTopicException", (b, admin) -> Outcome.of(() ->
                admin.createTopics(List.of(new NewTopic("bad name!", 1, (short) 1))).all().get()));
    }

    @Test
    @Timeout(60)
    void deleteUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() ->
                admin.deleteTopics(List.of("never-created")).all().get()));
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
    void describeConfigsOfUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() ->
                admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "never-created")))
                        .all().get()));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsWithUnparsableValue() {
        differential("error InvalidConfigurationException", (b, admin) -> Outcome.of(() -> {
            create(admin, "alter-bad", 1);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "alter-bad");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "abc"), AlterConfigOp.OpType.SET);
            return admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
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
    void produceRecordLargerThanTopicMaxMessageBytes() {
        differential("error RecordTooLargeException", (b, admin) -> Outcome.of(() -> {
            admin.createTopics(List.of(new NewTopic("small-messages", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "1024")))).all().get();
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
    void createTopicsResultReportsLayoutAndConfigSources() {
        differential("ok partitions=3 rf=1 retention.ms=12345/DYNAMIC_TOPIC_CONFIG"
                        + " max.message.bytes=1048588/DEFAULT_CONFIG",
                (b, admin) -> Outcome.of(() -> {
                    CreateTopicsResult result = createWithRetention(admin, "created-configs");
                    return "partitions=" + result.numPartitions("created-configs").get()
                            + " rf=" + result.replicationFactor("created-configs").get()
                            + sources(result.config("created-configs").get(), "retention.ms", "max.message.bytes");
                }));
    }

    @Test
    @Timeout(60)
    @Disabled("CreateTopics v5+ response configs: Kafka reports segment.bytes (log.segment.bytes set in the broker "
            + "properties) as STATIC_BROKER_CONFIG, Tributary as DEFAULT_CONFIG (value 104857600 is right)")
    void createTopicsResultReportsStaticBrokerSource() {
        differential("ok segment.bytes=104857600/STATIC_BROKER_CONFIG", (b, admin) -> Outcome.of(() ->
                sources(createWithRetention(admin, "created-static").config("created-static").get(),
                        "segment.bytes").trim()));
    }

    @Test
    @Timeout(60)
    void describeConfigsReportsValuesAndSources() {
        differential("ok retention.ms=12345/DYNAMIC_TOPIC_CONFIG segment.bytes=104857600/STATIC_BROKER_CONFIG"
                        + " max.message.bytes=1048588/DEFAULT_CONFIG",
                (b, admin) -> Outcome.of(() -> {
                    createWithRetention(admin, "described-configs");
                    return sources(describeTopicConfig(admin, "described-configs"),
                            "retention.ms", "segment.bytes", "max.message.bytes").trim();
                }));
    }

    @Test
    @Timeout(60)
    @Disabled("DescribeConfigs (topic): a broker property set to its built-in default (log.message.timestamp."
            + "after.max.ms=3600000) is STATIC_BROKER_CONFIG on Kafka, DEFAULT_CONFIG on Tributary, which infers "
            + "the source from 'differs from the default' (TopicConfigs.describe)")
    void describeConfigsReportsStaticBrokerSettingEqualToDefault() {
        differential("ok message.timestamp.after.max.ms=3600000/STATIC_BROKER_CONFIG", (b, admin) -> Outcome.of(() -> {
            createWithRetention(admin, "described-static");
            return sources(describeTopicConfig(admin, "described-static"), "message.timestamp.after.max.ms").trim();
        }));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsDeleteRestoresDefault() {
        differential("ok retention.ms=604800000/DEFAULT_CONFIG", (b, admin) -> Outcome.of(() -> {
            admin.createTopics(List.of(new NewTopic("alter-delete", 1, (short) 1)
                    .configs(Map.of("retention.ms", "12345")))).all().get();
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "alter-delete");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
            ConfigEntry entry = admin.describeConfigs(List.of(topic)).all().get().get(topic).get("retention.ms");
            return "retention.ms=" + entry.value() + "/" + entry.source();
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
    void describeUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() ->
                admin.describeTopics(List.of("never-created")).allTopicNames().get()));
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
    void logAppendTimeTopicStampsRecordsWithBrokerTime() {
        differential("ok metadataTimestampIsBrokerTime=true", (b, admin) -> Outcome.of(() -> {
            admin.createTopics(List.of(new NewTopic("append-time", 1, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
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
    @Disabled("Transactions: Kafka initialises and commits; on Tributary initTransactions throws KafkaException "
            + "because FindCoordinator(key type TRANSACTION) answers 'Tributary has no transaction coordinator yet' "
            + "(no AddPartitionsToTxn/EndTxn/TxnOffsetCommit either) - a missing feature")
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
    void incrementalAlterConfigsOfUnknownTopic() {
        differential("error UnknownTopicOrPartitionException", (b, admin) -> Outcome.of(() -> {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "never-created");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET);
            return admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsAppendToNonListConfig() {
        differential("error InvalidConfigurationException", (b, admin) -> Outcome.of(() -> {
            create(admin, "append-scalar", 1);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "append-scalar");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.APPEND);
            return admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        }));
    }

    @Test
    @Timeout(60)
    void incrementalAlterConfigsValidateOnlyChangesNothing() {
        differential("ok retention.ms=604800000/DEFAULT_CONFIG", (b, admin) -> Outcome.of(() -> {
            create(admin, "alter-validate", 1);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "alter-validate");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(op)), new AlterConfigsOptions().validateOnly(true))
                    .all().get();
            return sources(describeTopicConfig(admin, "alter-validate"), "retention.ms").trim();
        }));
    }

    @Test
    @Timeout(60)
    void describeBrokerConfigSources() {
        differential("ok log.segment.bytes=104857600/STATIC_BROKER_CONFIG num.partitions=1/STATIC_BROKER_CONFIG",
                (b, admin) -> Outcome.of(() -> brokerSources(admin, "log.segment.bytes", "num.partitions")));
    }

    @Test
    @Timeout(60)
    @Disabled("DescribeConfigs (BROKER): a broker setting left at its default (log.retention.hours=168) is "
            + "DEFAULT_CONFIG on Kafka, STATIC_BROKER_CONFIG on Tributary (kafka-protocol admin/BrokerConfigs "
            + "labels every effective setting STATIC_BROKER_CONFIG)")
    void describeBrokerConfigDefaultSource() {
        differential("ok log.retention.hours=168/DEFAULT_CONFIG",
                (b, admin) -> Outcome.of(() -> brokerSources(admin, "log.retention.hours")));
    }

    /** {@code key=value/SOURCE} of the only broker's {@code keys}, its id taken from describeCluster. */
    private static String brokerSources(Admin admin, String... keys) throws Exception {
        String id = admin.describeCluster().nodes().get().iterator().next().idString();
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, id);
        return sources(admin.describeConfigs(List.of(broker)).all().get().get(broker), keys).trim();
    }

    /** Creates a one-partition topic with the single {@code key=value} {@code setting}. */
    private static String createWith(Admin admin, String setting) throws Exception {
        String[] kv = setting.split("=", 2);
        String topic = "common-" + kv[0].replace('.', '-') + "-" + kv[1];
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(kv[0], kv[1])))).all().get();
        return "created";
    }

    /** Creates {@code topic} with three partitions and the override retention.ms=12345. */
    private static CreateTopicsResult createWithRetention(Admin admin, String topic) throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                .configs(Map.of("retention.ms", "12345"))));
        result.all().get();
        return result;
    }

    private static Config describeTopicConfig(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    /** {@code " key=value/SOURCE"} for each of {@code keys}. */
    private static String sources(Config config, String... keys) {
        StringBuilder text = new StringBuilder();
        for (String key : keys) {
            ConfigEntry entry = config.get(key);
            text.append(' ').append(key).append('=')
                    .append(entry == null ? "absent" : entry.value() + "/" + entry.source());
        }
        return text.toString();
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
