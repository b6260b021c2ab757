package io.tributary.kafka;

import org.apache.kafka.clients.NodeApiVersions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unmodified kafka-clients 4.4 consumers using subscribe(), over both group protocols; the KIP-848 consumer
 * commits and fetches its offsets by topic id (OffsetCommit and OffsetFetch v10), the classic one by name.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerGroupsIT {
    private static final int PARTITIONS = 4;
    private static final int RECORDS = 200;

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
    void classicProtocolGroupConsumesEverythingOnceAndCommits() throws Exception {
        runGroup("classic", "classic-topic", "classic-group");
    }

    @Test
    void consumerProtocolGroupConsumesEverythingOnceAndCommits() throws Exception {
        runGroup("consumer", "consumer-topic", "consumer-group");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("consumer-group"))
                    .describedGroups().get("consumer-group").get(20, TimeUnit.SECONDS);
            assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
            assertThat(admin.listGroups().all().get(20, TimeUnit.SECONDS))
                    .anyMatch(l -> l.groupId().equals("consumer-group"));
        }
    }

    @Test
    void kafkaClientsCommitAndFetchByTopicIdAgainstThisBroker() throws Exception {
        // Given the versions this broker advertises
        ApiVersionsResponseData advertised;
        try (RawClient client = new RawClient(broker.port())) {
            advertised = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
        }

        // When kafka-clients picks its versions as it does for every request
        NodeApiVersions versions = new NodeApiVersions(advertised.apiKeys(), List.of(), List.of(), 0L);

        // Then it uses the topic-id versions, as it does against Kafka 4.4
        assertThat(versions.latestUsableVersion(ApiKeys.OFFSET_COMMIT)).isEqualTo((short) 10);
        assertThat(versions.latestUsableVersion(ApiKeys.OFFSET_FETCH)).isEqualTo((short) 10);
    }

    @Test
    void offsetCommitByTopicIdAnswersUnknownIdsAndIsSeenByName() throws Exception {
        // Given a topic of two partitions
        String topic = "by-id";
        Uuid id = kafkaId(broker.log().createTopic(topic, 2, Map.of()).id());
        Uuid unknown = Uuid.randomUuid();
        try (RawClient client = new RawClient(broker.port())) {
            // When a non-member commits at v10 for the topic's id (a partition beyond it too), an unknown id and the zero id
            OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("by-id-group")
                    .setGenerationIdOrMemberEpoch(-1).setMemberId("");
            commit.topics().add(commitTopic(id, Map.of(0, 7L, 2, 1L)));
            commit.topics().add(commitTopic(unknown, Map.of(0, 3L)));
            commit.topics().add(commitTopic(Uuid.ZERO_UUID, Map.of(1, 3L)));
            OffsetCommitResponseData committed = (OffsetCommitResponseData)
                    client.call(ApiKeys.OFFSET_COMMIT, (short) 10, commit);

            // Then the known partition is committed, the one beyond the topic and both unknown ids are not
            assertThat(commitErrors(committed)).containsExactly(
                    Map.entry(id + "-0", Errors.NONE), Map.entry(id + "-2", Errors.UNKNOWN_TOPIC_OR_PARTITION),
                    Map.entry(unknown + "-0", Errors.UNKNOWN_TOPIC_ID),
                    Map.entry(Uuid.ZERO_UUID + "-1", Errors.UNKNOWN_TOPIC_ID));
            // and a fetch by id (v10) or by name (v9) sees the offset; an unknown id answers UNKNOWN_TOPIC_ID
            OffsetFetchResponseData.OffsetFetchResponseGroup byId = fetch(client, (short) 10, List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(id).setPartitionIndexes(List.of(0, 1)),
                    new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(unknown)
                            .setPartitionIndexes(List.of(0))));
            assertThat(fetched(byId)).containsExactly(Map.entry(id + "-0", "7 NONE"), Map.entry(id + "-1", "-1 NONE"),
                    Map.entry(unknown + "-0", "-1 UNKNOWN_TOPIC_ID"));
            OffsetFetchResponseData.OffsetFetchResponseGroup byName = fetch(client, (short) 9, List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic).setPartitionIndexes(List.of(0))));
            assertThat(byName.topics()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo(topic);
                assertThat(t.partitions().get(0).committedOffset()).isEqualTo(7L);
            });
            OffsetFetchResponseData.OffsetFetchResponseGroup all = fetch(client, (short) 10, null);
            assertThat(fetched(all)).containsExactly(Map.entry(id + "-0", "7 NONE"));
        }
    }

    private static Uuid kafkaId(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    private static OffsetCommitRequestData.OffsetCommitRequestTopic commitTopic(Uuid id, Map<Integer, Long> offsets) {
        OffsetCommitRequestData.OffsetCommitRequestTopic topic =
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setTopicId(id);
        new java.util.TreeMap<>(offsets).forEach((p, o) -> topic.partitions().add(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(p).setCommittedOffset(o)));
        return topic;
    }

    /** "topicId-partition" to error, in response order. */
    private static Map<String, Errors> commitErrors(OffsetCommitResponseData response) {
        Map<String, Errors> errors = new LinkedHashMap<>();
        response.topics().forEach(t -> t.partitions().forEach(p ->
                errors.put(t.topicId() + "-" + p.partitionIndex(), Errors.forCode(p.errorCode()))));
        return errors;
    }

    private static OffsetFetchResponseData.OffsetFetchResponseGroup fetch(
            RawClient client, short version, List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics)
            throws Exception {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("by-id-group").setTopics(topics)));
        OffsetFetchResponseData response = (OffsetFetchResponseData) client.call(ApiKeys.OFFSET_FETCH, version, request);
        assertThat(response.groups()).singleElement().satisfies(g -> assertThat(g.errorCode()).isZero());
        return response.groups().get(0);
    }

    /** "topicId-partition" to "offset ERROR", in response order. */
    private static Map<String, String> fetched(OffsetFetchResponseData.OffsetFetchResponseGroup group) {
        Map<String, String> offsets = new LinkedHashMap<>();
        group.topics().forEach(t -> t.partitions().forEach(p -> offsets.put(t.topicId() + "-" + p.partitionIndex(),
                p.committedOffset() + " " + Errors.forCode(p.errorCode()))));
        return offsets;
    }

    /** Two subscribed consumers share the partitions, read every record once, and commit; a restart resumes. */
    private void runGroup(String protocol, String topic, String group) throws Exception {
        // Given a topic with records in every partition
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, "k" + i, "v" + i));
            }
            producer.flush();
        }

        // When two consumers of one group subscribe and poll until everything is read, committing as they go
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        int failedCommits = 0;
        try (KafkaConsumer<String, String> first = consumer(protocol, group);
             KafkaConsumer<String, String> second = consumer(protocol, group)) {
            first.subscribe(List.of(topic));
            second.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < RECORDS && System.nanoTime() < deadline) {
                for (KafkaConsumer<String, String> consumer : List.of(first, second)) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        if (!seen.add(record.value())) {
                            duplicates++;
                        }
                    }
                    try {
                        consumer.commitSync(Duration.ofSeconds(10));
                    } catch (CommitFailedException e) {
                        // A rebalance moved the member on while the commit was in flight, as with any
                        // Kafka broker; the next round commits again.
                        failedCommits++;
                    }
                }
            }
            // Let both settle on a share of the partitions (KIP-848 moves them at heartbeat pace), then commit.
            long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((first.assignment().isEmpty() || second.assignment().isEmpty()
                    || first.assignment().size() + second.assignment().size() != PARTITIONS)
                    && System.nanoTime() < settleBy) {
                for (KafkaConsumer<String, String> consumer : List.of(first, second)) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        if (!seen.add(record.value())) {
                            duplicates++;
                        }
                    }
                }
            }
            first.commitSync(Duration.ofSeconds(10));
            second.commitSync(Duration.ofSeconds(10));
            assertThat(first.assignment().size() + second.assignment().size()).isEqualTo(PARTITIONS);
            assertThat(first.assignment()).isNotEmpty().doesNotContainAnyElementsOf(second.assignment());
        }

        // Then every record was read, and the group's committed offsets point at the end of each partition
        assertThat(seen).hasSize(RECORDS);
        if (failedCommits == 0) {
            assertThat(duplicates).isZero();
        }
        assertThat(failedCommits).isLessThan(5);
        try (KafkaConsumer<String, String> resumed = consumer(protocol, group)) {
            Set<TopicPartition> partitions = new HashSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = resumed.committed(partitions, Duration.ofSeconds(10));
            assertThat(committed.values()).allMatch(o -> o != null && o.offset() == RECORDS / PARTITIONS);
            resumed.subscribe(List.of(topic));
            assertThat(resumed.poll(Duration.ofSeconds(3)).count()).isZero();
        }
    }

    private static KafkaConsumer<String, String> consumer(String protocol, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        return new KafkaConsumer<>(props);
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }
}
