package io.tributary.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin APIs of {@link io.tributary.kafka.admin}, driven by the kafka-clients 4.4 Admin client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminApisIT {
    @TempDir
    static Path dir;
    static TestBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(dir);
        admin = admin(broker);
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void deleteTopicsByNameAndByIdAndTheirErrors() throws Exception {
        // Given two topics
        admin.createTopics(List.of(new NewTopic("del-a", 1, (short) 1), new NewTopic("del-b", 2, (short) 1))).all().get();
        Uuid idB = admin.describeTopics(List.of("del-b")).allTopicNames().get().get("del-b").topicId();

        // When one is deleted by name and the other by id
        admin.deleteTopics(List.of("del-a")).all().get();
        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(idB))).all().get();

        // Then both are gone, and unknown names, ids and internal topics are refused with Kafka's errors
        assertThat(admin.listTopics().names().get()).doesNotContain("del-a", "del-b");
        assertThat(broker.log().topic("del-a")).isEmpty();
        assertCause(() -> admin.deleteTopics(List.of("del-a")).all().get(), UnknownTopicOrPartitionException.class);
        assertCause(() -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(idB))).all().get(),
                UnknownTopicIdException.class);
        assertCause(() -> admin.deleteTopics(List.of("__consumer_offsets")).all().get(), InvalidTopicException.class);
        assertThat(broker.log().topic("__consumer_offsets")).isPresent();
    }

    @Test
    void describeTopicsPagesThroughDescribeTopicPartitions() throws Exception {
        // Given two topics with five partitions between them
        admin.createTopics(List.of(new NewTopic("pages-a", 3, (short) 1), new NewTopic("pages-b", 2, (short) 1))).all()
                .get();

        // When the Admin client describes them two partitions per DescribeTopicPartitions response
        Map<String, TopicDescription> topics = admin.describeTopics(List.of("pages-b", "pages-a"),
                new DescribeTopicsOptions().partitionSizeLimitPerResponse(2).includeAuthorizedOperations(true))
                .allTopicNames().get();

        // Then it has followed the cursor to every partition, each with an empty ELR (null, shown as N/A, only comes
        // from the Metadata fallback), and every topic operation allowed (no authorizer)
        assertThat(topics.get("pages-a").partitions()).hasSize(3);
        assertThat(topics.get("pages-b").partitions()).hasSize(2);
        assertThat(topics.values()).allSatisfy(t -> {
            assertThat(t.isInternal()).isFalse();
            assertThat(t.authorizedOperations()).contains(AclOperation.DESCRIBE, AclOperation.WRITE);
            assertThat(t.partitions()).allSatisfy(p -> {
                assertThat(p.leader().id()).isEqualTo(TestBroker.NODE_ID);
                assertThat(p.isr()).extracting(org.apache.kafka.common.Node::id).containsExactly(TestBroker.NODE_ID);
                assertThat(p.elr()).isNotNull().isEmpty();
                assertThat(p.lastKnownElr()).isNotNull().isEmpty();
            });
        });
        assertCause(() -> admin.describeTopics(List.of("pages-a", "never-created")).allTopicNames().get(),
                UnknownTopicOrPartitionException.class);
    }

    @Test
    void createPartitionsGrowsATopicAndRefusesWhatKafkaRefuses() throws Exception {
        // Given a topic with one partition
        admin.createTopics(List.of(new NewTopic("grow", 1, (short) 1))).all().get();

        // When it grows to 3, then a validate-only request asks for 5
        admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(3))).all().get();
        admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(5)),
                new CreatePartitionsOptions().validateOnly(true)).all().get();

        // Then it has 3, the new ones are writable, and bad requests get Kafka's exceptions
        assertThat(admin.describeTopics(List.of("grow")).allTopicNames().get().get("grow").partitions()).hasSize(3);
        try (KafkaProducer<String, String> producer = producer()) {
            assertThat(producer.send(new ProducerRecord<>("grow", 2, "k", "v")).get().partition()).isEqualTo(2);
        }
        assertCause(() -> admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(3))).all().get(),
                InvalidPartitionsException.class);
        assertCause(() -> admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(2))).all().get(),
                InvalidPartitionsException.class);
        assertCause(() -> admin.createPartitions(Map.of("nope", NewPartitions.increaseTo(2))).all().get(),
                UnknownTopicOrPartitionException.class);
        assertCause(() -> admin.createPartitions(Map.of("grow",
                NewPartitions.increaseTo(4, List.of(List.of(99))))).all().get(), InvalidReplicaAssignmentException.class);
        admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(4, List.of(List.of(TestBroker.NODE_ID)))))
                .all().get();
        assertThat(broker.log().topic("grow").orElseThrow().partitionCount()).isEqualTo(4);
    }

    @Test
    void requestsAddingMoreThanKafkasBoundOfPartitionsAreRefusedAndAddNothing() throws Exception {
        // Given a topic with one partition and a record in it
        admin.createTopics(List.of(new NewTopic("bounded", 1, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("bounded", 0, "k", "before")).get();
        }

        // When one request asks for 10,001 partitions over two new topics, and another grows the topic by 10,001
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("huge-a", 10_000, (short) 1),
                new NewTopic("huge-b", 1, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("Excessively large number of partitions per request");
        admin.createTopics(List.of(new NewTopic("bounded-too", 1, (short) 1))).all().get();
        var refused = admin.createPartitions(Map.of("bounded", NewPartitions.increaseTo(10_002),
                "bounded-too", NewPartitions.increaseTo(2))).values();
        assertCause(() -> refused.get("bounded").get(), PolicyViolationException.class);
        assertCause(() -> refused.get("bounded-too").get(), PolicyViolationException.class);
        assertCause(() -> admin.createPartitions(Map.of("bounded", NewPartitions.increaseTo(10_002)),
                new CreatePartitionsOptions().validateOnly(true)).all().get(), PolicyViolationException.class);

        // Then nothing was created, a growth at the bound still works, and the topic still takes and serves records
        assertThat(admin.listTopics().names().get()).doesNotContain("huge-a", "huge-b");
        assertThat(broker.log().topic("bounded").orElseThrow().partitionCount()).isEqualTo(1);
        assertThat(broker.log().topic("bounded-too").orElseThrow().partitionCount()).isEqualTo(1);
        admin.createPartitions(Map.of("bounded", NewPartitions.increaseTo(2))).all().get();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("bounded", 1, "k", "after")).get();
        }
        assertThat(firstOffsetFromTheBeginning(new TopicPartition("bounded", 1))).isZero();
    }

    @Test
    void describeConfigsReportsValuesAndSources() throws Exception {
        // Given a topic with one override
        admin.createTopics(List.of(new NewTopic("conf", 1, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                .all().get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "conf");

        // When its configs are described with synonyms and documentation
        Config config = admin.describeConfigs(List.of(topic),
                new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true)).all().get().get(topic);

        // Then the override and the defaults come with their sources
        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.synonyms()).extracting(ConfigEntry.ConfigSynonym::source)
                .containsExactly(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG); // log.retention.ms has no default
        assertThat(retention.documentation()).isNotBlank();
        assertThat(retention.type()).isEqualTo(ConfigEntry.ConfigType.LONG);
        ConfigEntry segment = config.get("segment.bytes");
        assertThat(segment.value()).isEqualTo("1073741824");
        assertThat(segment.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(segment.isReadOnly()).isFalse();
        assertThat(config.entries()).hasSize(io.tributary.log.LogConfig.KEYS.size());
        assertCause(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "nope")))
                .all().get(), UnknownTopicOrPartitionException.class);
    }

    @Test
    void describeConfigsOfTheBroker() throws Exception {
        ConfigResource self = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(TestBroker.NODE_ID));

        Config config = admin.describeConfigs(List.of(self)).all().get().get(self);

        ConfigEntry threads = config.get("num.network.threads");
        assertThat(threads.value()).isEqualTo("2");
        assertThat(threads.isReadOnly()).isTrue();
        assertThat(threads.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void incrementalAlterConfigsSetsAndDeletesTopicOverrides() throws Exception {
        // Given a topic with an override
        admin.createTopics(List.of(new NewTopic("alter", 1, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                .all().get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "alter");

        // When one key is set and the other deleted
        admin.incrementalAlterConfigs(Map.of(topic, List.of(
                new AlterConfigOp(new ConfigEntry("max.message.bytes", "2048"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE)))).all().get();

        // Then the live partition has the new config, and describe shows it
        assertThat(broker.log().topic("alter").orElseThrow().configOverrides())
                .containsOnly(Map.entry("max.message.bytes", "2048"));
        assertThat(broker.log().topic("alter").orElseThrow().partition(0).config().maxMessageBytes()).isEqualTo(2048);
        Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
        assertThat(config.get("max.message.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void incrementalAlterConfigsRefusesWhatKafkaRefuses() throws Exception {
        admin.createTopics(List.of(new NewTopic("refuse", 1, (short) 1))).all().get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "refuse");

        assertThat(alterError(topic, "retention.ms", "soon", AlterConfigOp.OpType.SET, false))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.ms");
        assertThat(alterError(topic, "no.such.key", "1", AlterConfigOp.OpType.SET, false))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("no.such.key");
        assertThat(alterError(topic, "retention.ms", "1", AlterConfigOp.OpType.APPEND, false))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.ms");
        assertThat(alterError(new ConfigResource(ConfigResource.Type.TOPIC, "nope"), "retention.ms", "1",
                AlterConfigOp.OpType.SET, false)).isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(alterError(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(TestBroker.NODE_ID)),
                "log.retention.ms", "1", AlterConfigOp.OpType.SET, false)).isInstanceOf(InvalidRequestException.class);
        assertThat(alterError(topic, "retention.ms", "1000", AlterConfigOp.OpType.SET, true)).isNull();
        assertThat(broker.log().topic("refuse").orElseThrow().configOverrides()).as("validateOnly changes nothing")
                .isEmpty();
    }

    @Test
    void alteredTimestampWindowRefusesFutureRecordsAtOnce() throws Exception {
        // Given a topic whose window is narrowed after creation
        admin.createTopics(List.of(new NewTopic("clock", 1, (short) 1))).all().get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "clock");
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                new ConfigEntry("message.timestamp.after.max.ms", "60000"), AlterConfigOp.OpType.SET)))).all().get();

        try (KafkaProducer<String, String> producer = producer()) {
            long now = System.currentTimeMillis();
            // When a record ten minutes ahead is sent, Then it is refused; one from now is not
            assertCause(() -> producer.send(new ProducerRecord<>("clock", 0, now + 600_000, "k", "v")).get(),
                    org.apache.kafka.common.errors.InvalidTimestampException.class);
            assertThat(producer.send(new ProducerRecord<>("clock", 0, now, "k", "v")).get().offset()).isZero();
        }
    }

    @Test
    void withoutAnAuthorizerEveryOperationIsAuthorized() throws Exception {
        // Given a topic and a group with a committed offset, and no authorizer (as Kafka answers then: all of
        // the resource type's operations)
        admin.createTopics(List.of(new NewTopic("ops-topic", 1, (short) 1))).all().get();
        admin.alterConsumerGroupOffsets("ops-group", Map.of(new TopicPartition("ops-topic", 0),
                new OffsetAndMetadata(0))).all().get();

        // When the Admin client asks for the authorized operations of each
        var group = admin.describeConsumerGroups(List.of("ops-group"),
                new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all().get().get("ops-group");
        var topic = admin.describeTopics(List.of("ops-topic"),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get().get("ops-topic");

        // Then each lists every operation Kafka defines for its resource type
        assertThat(group.authorizedOperations()).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE,
                AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
        assertThat(topic.authorizedOperations()).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.WRITE,
                AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.ALTER,
                AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    }

    @Test
    void describeClusterNamesThisNode() throws Exception {
        var cluster = admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true));

        assertThat(cluster.clusterId().get()).isEqualTo(TestBroker.CLUSTER_ID);
        assertThat(cluster.controller().get().id()).isEqualTo(TestBroker.NODE_ID);
        assertThat(cluster.nodes().get()).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo(TestBroker.NODE_ID);
            assertThat(n.port()).isEqualTo(broker.port());
        });
        assertThat(cluster.authorizedOperations().get()).contains(AclOperation.DESCRIBE, AclOperation.ALTER);
    }

    @Test
    void deleteRecordsRaisesTheEarliestOffset() throws Exception {
        // Given ten records
        admin.createTopics(List.of(new NewTopic("trim", 1, (short) 1))).all().get();
        TopicPartition tp = new TopicPartition("trim", 0);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("trim", 0, "k", "v" + i));
            }
            producer.flush();
        }

        // When the records before offset 4 are deleted
        long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(tp).get()
                .lowWatermark();

        // Then the earliest offset is 4, a consumer from the beginning starts there, and a bad offset is refused
        // (unknown partitions never reach the broker: the client waits for them in metadata)
        assertThat(low).isEqualTo(4);
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset()).isEqualTo(4);
        assertThat(firstOffsetFromTheBeginning(tp)).isEqualTo(4);
        assertCause(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(11))).all().get(),
                OffsetOutOfRangeException.class);
    }

    @Test
    void describeProducersListsTheIdempotentProducer() throws Exception {
        admin.createTopics(List.of(new NewTopic("idem", 1, (short) 1))).all().get();
        TopicPartition tp = new TopicPartition("idem", 0);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("idem", 0, "k", "v" + i)).get();
            }
        }

        PartitionProducerState state = admin.describeProducers(List.of(tp)).partitionResult(tp).get();

        assertThat(state.activeProducers()).singleElement().satisfies(p -> {
            assertThat(p.producerId()).isNotNegative();
            assertThat(p.lastSequence()).isEqualTo(2);
            assertThat(p.currentTransactionStartOffset()).isEmpty();
        });
    }

    @Test
    void listTransactionsIsEmpty() throws Exception {
        assertThat(admin.listTransactions().all().get()).isEmpty();
    }

    @Test
    void topicChangesSurviveARestart(@TempDir Path own) throws Exception {
        TopicPartition tp = new TopicPartition("kept", 0);
        try (TestBroker first = TestBroker.start(own); Admin client = admin(first)) {
            client.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            client.createPartitions(Map.of("kept", NewPartitions.increaseTo(2))).all().get();
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "kept");
            client.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.bytes", "100000"), AlterConfigOp.OpType.SET)))).all().get();
            try (KafkaProducer<String, String> producer = producer(first)) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("kept", 0, "k", "v" + i));
                }
                producer.flush();
            }
            client.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).all().get();
        }
        try (TestBroker second = TestBroker.start(own); Admin client = admin(second)) {
            assertThat(client.describeTopics(List.of("kept")).allTopicNames().get().get("kept").partitions()).hasSize(2);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "kept");
            assertThat(client.describeConfigs(List.of(topic)).all().get().get(topic).get("retention.bytes").value())
                    .isEqualTo("100000");
            assertThat(client.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset())
                    .isEqualTo(3);
        }
    }

    private static Throwable alterError(ConfigResource resource, String key, String value, AlterConfigOp.OpType op,
                                        boolean validateOnly) throws InterruptedException {
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value), op))),
                    new AlterConfigsOptions().validateOnly(validateOnly)).all().get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static long firstOffsetFromTheBeginning(TopicPartition tp) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).isNotEmpty();
            return records.get(0).offset();
        }
    }

    private static void assertCause(ThrowingCall call, Class<? extends Throwable> expected) {
        assertThatThrownBy(call::run).isInstanceOf(ExecutionException.class).cause().isInstanceOf(expected);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static KafkaProducer<String, String> producer() {
        return producer(broker);
    }

    private static KafkaProducer<String, String> producer(TestBroker target) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static Admin admin(TestBroker target) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return Admin.create(props);
    }
}
