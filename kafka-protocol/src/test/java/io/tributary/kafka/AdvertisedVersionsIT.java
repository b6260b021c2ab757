package io.tributary.kafka;

import io.tributary.kafka.api.SupportedApis;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every accepted version of every advertised API over a real socket: requests encoded with
 * kafka-clients' generated classes, responses parsed with kafka-clients' own response parser
 * ({@link AbstractResponse#parseResponse}), which must consume the frame exactly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdvertisedVersionsIT {
    private static final String TOPIC = "versions";

    @TempDir
    static Path dir;
    static TestBroker broker;
    private RawClient client;
    static Uuid topicId;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(dir);
        var topic = broker.log().createTopic(TOPIC, 1, java.util.Map.of());
        topicId = new Uuid(topic.id().getMostSignificantBits(), topic.id().getLeastSignificantBits());
    }

    @BeforeEach
    void connect() throws Exception {
        client = new RawClient(broker.port());
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void apiVersionsAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.API_VERSIONS)) {
            ApiVersionsRequestData request = new ApiVersionsRequestData();
            if (v >= 3) {
                request.setClientSoftwareName("versions-test").setClientSoftwareVersion("1.0");
            }
            ApiVersionsResponseData response = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, v, request);
            assertThat(response.errorCode()).as("v%d", v).isZero();
            assertThat(response.apiKeys()).hasSize(58 /* 33 + 7 share groups + 6 transactions + 9 security + 3 partition placement */);
            assertThat(response.apiKeys().find(ApiKeys.PRODUCE.id).minVersion()).isZero();
            assertThat(response.apiKeys().find(ApiKeys.FETCH.id).minVersion()).isEqualTo((short) 4);
        }
        ApiVersionsResponseData wrongCluster = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, (short) 5,
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1")
                        .setClusterId("another-cluster").setNodeId(TestBroker.NODE_ID));
        assertThat(wrongCluster.errorCode()).isEqualTo(Errors.REBOOTSTRAP_REQUIRED.code());
    }

    @Test
    void metadataAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.METADATA)) {
            MetadataRequestData request = new MetadataRequestData();
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(TOPIC));
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("bad/name"));
            MetadataResponseData response = (MetadataResponseData) client.call(ApiKeys.METADATA, v, request);
            assertThat(response.brokers()).hasSize(1);
            assertThat(response.brokers().iterator().next().port()).isEqualTo(broker.port());
            MetadataResponseData.MetadataResponseTopic topic = response.topics().find(TOPIC);
            assertThat(topic.errorCode()).as("v%d", v).isZero();
            assertThat(topic.partitions()).hasSize(1);
            assertThat(topic.partitions().get(0).leaderId()).isEqualTo(TestBroker.NODE_ID);
            assertThat(topic.topicId()).isEqualTo(v >= 10 ? topicId : Uuid.ZERO_UUID);
            assertThat(response.topics().find("bad/name").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
            if (v >= 2) {
                assertThat(response.clusterId()).isEqualTo(TestBroker.CLUSTER_ID);
            }
        }
    }

    @Test
    void describeTopicPartitionsAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.DESCRIBE_TOPIC_PARTITIONS)) {
            DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(5);
            request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(TOPIC));
            request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName("never-created"));
            DescribeTopicPartitionsResponseData response = (DescribeTopicPartitionsResponseData)
                    client.call(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, v, request);
            DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic topic = response.topics().find(TOPIC);
            assertThat(topic.errorCode()).as("v%d", v).isZero();
            assertThat(topic.topicId()).isEqualTo(topicId);
            assertThat(topic.partitions()).singleElement().satisfies(p -> {
                assertThat(p.leaderId()).isEqualTo(TestBroker.NODE_ID);
                assertThat(p.eligibleLeaderReplicas()).isEmpty();
                assertThat(p.lastKnownElr()).isEmpty();
            });
            assertThat(response.topics().find("never-created").errorCode())
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(response.nextCursor()).isNull();
        }
    }

    @Test
    void produceFetchAndListOffsetsAtEveryVersion() throws Exception {
        // Given one batch produced at each Produce version
        long expectedOffset = broker.log().topic(TOPIC).orElseThrow().partition(0).logEndOffset();
        for (short v : versions(ApiKeys.PRODUCE)) {
            MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(1000L + v, ("k" + v).getBytes(StandardCharsets.UTF_8), ("v" + v).getBytes(StandardCharsets.UTF_8)));
            ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData();
            if (v >= 13) {
                topicData.setTopicId(topicId);
            } else {
                topicData.setName(TOPIC);
            }
            topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000);
            request.topicData().add(topicData);
            ProduceResponseData response = (ProduceResponseData) client.call(ApiKeys.PRODUCE, v, request);
            ProduceResponseData.PartitionProduceResponse partition =
                    response.responses().iterator().next().partitionResponses().get(0);
            assertThat(partition.errorCode()).as("produce v%d", v).isZero();
            assertThat(partition.baseOffset()).isEqualTo(expectedOffset++);
        }

        // When the partition is fetched at each Fetch version, Then every batch comes back
        for (short v : versions(ApiKeys.FETCH)) {
            FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic();
            if (v >= 13) {
                fetchTopic.setTopicId(topicId);
            } else {
                fetchTopic.setTopic(TOPIC);
            }
            fetchTopic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20));
            FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                    .setSessionEpoch(-1).setReplicaId(-1);
            request.topics().add(fetchTopic);
            FetchResponseData response = (FetchResponseData) client.call(ApiKeys.FETCH, v, request);
            FetchResponseData.PartitionData data = response.responses().get(0).partitions().get(0);
            assertThat(data.errorCode()).as("fetch v%d", v).isZero();
            assertThat(data.highWatermark()).isEqualTo(expectedOffset);
            List<Long> offsets = new ArrayList<>();
            for (RecordBatch batch : ((MemoryRecords) data.records()).batches()) {
                offsets.add(batch.baseOffset());
            }
            assertThat(offsets).hasSize(versions(ApiKeys.PRODUCE).size());
            assertThat(offsets.get(0)).isZero();
            assertThat(response.sessionId()).isZero();
        }

        // And ListOffsets reports the end at every version
        for (short v : versions(ApiKeys.LIST_OFFSETS)) {
            ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1);
            ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC);
            topic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1));
            request.topics().add(topic);
            ListOffsetsResponseData response = (ListOffsetsResponseData) client.call(ApiKeys.LIST_OFFSETS, v, request);
            ListOffsetsResponseData.ListOffsetsPartitionResponse partition = response.topics().get(0).partitions().get(0);
            assertThat(partition.errorCode()).as("list offsets v%d", v).isZero();
            assertThat(partition.offset()).isEqualTo(expectedOffset);
        }
    }

    @Test
    void createTopicsAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.CREATE_TOPICS)) {
            CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(5000);
            request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("created-v" + v)
                    .setNumPartitions(2).setReplicationFactor((short) -1));
            CreateTopicsResponseData response = (CreateTopicsResponseData) client.call(ApiKeys.CREATE_TOPICS, v, request);
            CreateTopicsResponseData.CreatableTopicResult result = response.topics().find("created-v" + v);
            assertThat(result.errorCode()).as("v%d", v).isZero();
            assertThat(broker.log().topic("created-v" + v).orElseThrow().partitionCount()).isEqualTo(2);
            if (v >= 5) {
                assertThat(result.numPartitions()).isEqualTo(2);
                assertThat(result.configs()).isNotEmpty();
            }
            if (v >= 7) {
                assertThat(result.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
            }
        }
    }

    @Test
    void initProducerIdAtEveryVersion() throws Exception {
        Set<Long> ids = new HashSet<>();
        for (short v : versions(ApiKeys.INIT_PRODUCER_ID)) {
            InitProducerIdRequestData request = new InitProducerIdRequestData().setTransactionalId(null)
                    .setTransactionTimeoutMs(60_000);
            InitProducerIdResponseData response = (InitProducerIdResponseData) client.call(ApiKeys.INIT_PRODUCER_ID, v, request);
            assertThat(response.errorCode()).as("v%d", v).isZero();
            assertThat(response.producerEpoch()).isZero();
            assertThat(ids.add(response.producerId())).isTrue();
        }
        InitProducerIdResponseData transactional = (InitProducerIdResponseData) client.call(ApiKeys.INIT_PRODUCER_ID, (short) 4,
                new InitProducerIdRequestData().setTransactionalId("txn").setTransactionTimeoutMs(60_000));
        assertThat(transactional.errorCode()).isZero();
        assertThat(ids.add(transactional.producerId())).isTrue();
        InitProducerIdResponseData again = (InitProducerIdResponseData) client.call(ApiKeys.INIT_PRODUCER_ID, (short) 4,
                new InitProducerIdRequestData().setTransactionalId("txn").setTransactionTimeoutMs(60_000));
        assertThat(again.producerId()).isEqualTo(transactional.producerId());
        assertThat(again.producerEpoch()).isEqualTo((short) (transactional.producerEpoch() + 1));
        InitProducerIdResponseData tooLong = (InitProducerIdResponseData) client.call(ApiKeys.INIT_PRODUCER_ID, (short) 4,
                new InitProducerIdRequestData().setTransactionalId("txn").setTransactionTimeoutMs(900_001));
        assertThat(tooLong.errorCode()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT.code());
    }

    static List<Short> versions(ApiKeys key) {
        List<Short> versions = new ArrayList<>();
        for (short v = 0; v <= SupportedApis.maxVersion(key); v++) {
            if (SupportedApis.accepts(key, v)) {
                versions.add(v);
            }
        }
        return versions;
    }

}
