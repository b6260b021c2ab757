package io.tributary.kafka;

import io.tributary.log.internal.DiskFaults;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A failed fsync takes one partition offline, as a failed log dir does in Kafka, while the rest of
 * the broker keeps serving: real kafka-clients see KAFKA_STORAGE_ERROR and then no leader for it, and
 * raw Fetch and ListOffsets with a stale leader answer KAFKA_STORAGE_ERROR. A topic creation or growth
 * that runs out of file descriptors part-way answers KAFKA_STORAGE_ERROR and leaves nothing half-made, and a new
 * partition holds one descriptor (decision 0048).
 */
@Timeout(60)
class StorageFailureIT {
    @TempDir
    Path dir;
    private final DiskFaults faults = new DiskFaults();
    private TestBroker broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dir, faults);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        admin = Admin.create(props);
        admin.createTopics(List.of(
                new NewTopic("doomed", 1, (short) 1).configs(Map.of("flush.policy", "sync")),
                new NewTopic("healthy", 1, (short) 1).configs(Map.of("flush.policy", "sync")))).all().get();
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void creationsThatRunOutOfFilesAnswerStorageErrorAndLeaveNothingHalfMade() throws Exception {
        // Given a process that can open 7 more files (creating a partition opens 3: its log, and its offset and time
        // indexes, which it closes again)
        faults.failOpensAfter(7);

        // When a topic is grown to 10 partitions and, with 7 more files again, a topic of 10 is created
        assertThatThrownBy(() -> admin.createPartitions(Map.of("healthy", NewPartitions.increaseTo(10))).all().get())
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining("Too many open files").hasMessageContaining("from 1 to 10");
        faults.failOpensAfter(7);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("half", 10, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining("Too many open files");
        faults.allowOpens();

        // Then neither left a partition or a directory behind, and the broker serves and grows the topic as before
        assertThat(broker.log().topic("healthy").orElseThrow().partitionCount()).isEqualTo(1);
        assertThat(broker.log().topic("half")).isEmpty();
        assertThat(admin.listTopics().names().get()).doesNotContain("half");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("healthy-") || n.startsWith("half-"))).containsExactly("healthy-0");
        }
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            assertThat(producer.send(new ProducerRecord<>("healthy", new byte[10])).get().offset()).isZero();
        }
        admin.createPartitions(Map.of("healthy", NewPartitions.increaseTo(3))).all().get();
        assertThat(broker.log().topic("healthy").orElseThrow().partitionCount()).isEqualTo(3);

        // And with room for only 8 more files open at once, a growth by 6 partitions fits: each new partition holds
        // its log file alone, plus room for an index file being created (they held 3 each, 18 in all, before 0048)
        faults.limitOpenFiles(8);
        admin.createPartitions(Map.of("healthy", NewPartitions.increaseTo(9))).all().get();
        assertThat(broker.log().topic("healthy").orElseThrow().partitionCount()).isEqualTo(9);
    }

    @Test
    void failedFsyncTakesOnlyThatPartitionOffline() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            // Given both topics written to
            producer.send(new ProducerRecord<>("doomed", new byte[10])).get();
            producer.send(new ProducerRecord<>("healthy", new byte[10])).get();
            long doomedEnd = broker.log().topic("doomed").orElseThrow().partition(0).highWatermark();

            // When an fsync of "doomed" fails
            faults.failForces(true);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("doomed", new byte[10])).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(KafkaStorageException.class);
            faults.failForces(false);

            // Then "healthy" still takes writes, and "doomed" never exposes the failed record
            RecordMetadata healthy = producer.send(new ProducerRecord<>("healthy", new byte[10])).get();
            assertThat(healthy.offset()).isEqualTo(1);
            assertThat(broker.log().topic("doomed").orElseThrow().partition(0).highWatermark()).isEqualTo(doomedEnd);
        }

        // And metadata shows "doomed" without a leader, "healthy" led by this node
        Map<String, TopicDescription> topics = admin.describeTopics(List.of("doomed", "healthy")).allTopicNames().get();
        assertThat(topics.get("doomed").partitions().get(0).leader()).isNull();
        assertThat(topics.get("healthy").partitions().get(0).leader().id()).isEqualTo(TestBroker.NODE_ID);

        // And a client that still believes this node leads "doomed" is told KAFKA_STORAGE_ERROR
        try (RawClient raw = new RawClient(broker.port())) {
            MetadataResponseData metadata = (MetadataResponseData) raw.call(ApiKeys.METADATA, (short) 12,
                    new MetadataRequestData().setTopics(List.of(
                            new MetadataRequestData.MetadataRequestTopic().setName("doomed"))));
            MetadataResponseData.MetadataResponsePartition partition =
                    metadata.topics().find("doomed").partitions().get(0);
            assertThat(partition.errorCode()).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
            assertThat(partition.leaderId()).isEqualTo(-1);
            assertThat(partition.offlineReplicas()).containsExactly(TestBroker.NODE_ID);
            DescribeTopicPartitionsResponseData described = (DescribeTopicPartitionsResponseData) raw.call(
                    ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (short) 0, new DescribeTopicPartitionsRequestData().setTopics(
                            List.of(new DescribeTopicPartitionsRequestData.TopicRequest().setName("doomed"))));
            assertThat(described.topics().find("doomed").partitions()).singleElement().satisfies(p -> {
                assertThat(p.leaderId()).isEqualTo(-1);
                assertThat(p.offlineReplicas()).containsExactly(TestBroker.NODE_ID);
            });

            FetchResponseData fetch = (FetchResponseData) raw.call(ApiKeys.FETCH, (short) 12,
                    new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                            .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("doomed").setPartitions(
                                    List.of(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                            .setPartitionMaxBytes(1 << 20))))));
            assertThat(fetch.responses().get(0).partitions().get(0).errorCode())
                    .isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());

            ListOffsetsResponseData offsets = (ListOffsetsResponseData) raw.call(ApiKeys.LIST_OFFSETS, (short) 7,
                    new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                            new ListOffsetsRequestData.ListOffsetsTopic().setName("doomed").setPartitions(List.of(
                                    new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                            .setTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP))))));
            assertThat(offsets.topics().get(0).partitions().get(0).errorCode())
                    .isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.RETRIES_CONFIG, "0");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }


}
