package io.tributary.kafka.network;

import io.tributary.kafka.TestFrames;
import io.tributary.kafka.api.SupportedApis;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Requests encoded by kafka-clients at every accepted version decode to equal messages. */
@Timeout(10)
class RequestDecoderTest {
    private static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");

    static Stream<Arguments> everyAcceptedVersion() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (ApiKeys key : SupportedApis.keys()) {
            for (short v = 0; v <= SupportedApis.maxVersion(key); v++) {
                if (SupportedApis.accepts(key, v)) {
                    all.add(Arguments.of(key, v));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("everyAcceptedVersion")
    void decodesWhatKafkaClientsEncode(ApiKeys key, short version) throws Exception {
        // Given a request as kafka-clients writes it
        ApiMessage sent = sample(key, version);
        ByteBuffer payload = TestFrames.payload(key, version, sent, 77);

        // When it is decoded
        KafkaRequest request = RequestDecoder.decode(payload);

        // Then header and body are what was sent
        assertThat(request.apiKey()).isEqualTo(key);
        assertThat(request.apiVersion()).isEqualTo(version);
        assertThat(request.header().correlationId()).isEqualTo(77);
        assertThat(request.header().clientId()).isEqualTo("test-client");
        assertThat(request.responseVersion()).isEqualTo(version);
        assertThat(request.body()).isEqualTo(sent);
    }

    @Test
    void producePreV3IsRefusedThoughAdvertised() {
        assertThat(SupportedApis.minVersion(ApiKeys.PRODUCE)).isZero();
        ByteBuffer payload = TestFrames.rawRequest(ApiKeys.PRODUCE.id, (short) 2, 1, new byte[8]);
        payload.getInt();
        assertThatThrownBy(() -> RequestDecoder.decode(payload)).isInstanceOf(RequestRejectedException.class)
                .hasMessageContaining("unsupported Produce version 2");
    }

    @Test
    void apiNotAdvertisedIsRefused() {
        ByteBuffer payload = TestFrames.payload(ApiKeys.DESCRIBE_DELEGATION_TOKEN, (short) 3,
                new org.apache.kafka.common.message.DescribeDelegationTokenRequestData(), 1);
        assertThatThrownBy(() -> RequestDecoder.decode(payload)).isInstanceOf(RequestRejectedException.class)
                .hasMessageContaining("unsupported DescribeDelegationToken version 3");
    }

    @Test
    void apiVersionsFromTheFutureIsAnsweredAtVersionZero() throws Exception {
        ByteBuffer payload = TestFrames.payload(ApiKeys.API_VERSIONS, (short) 5, new ApiVersionsRequestData(), 3);
        payload.putShort(2, (short) 99);
        KafkaRequest request = RequestDecoder.decode(payload);
        assertThat(request.apiVersion()).isEqualTo((short) 99);
        assertThat(request.responseVersion()).isZero();
        assertThat(request.responseHeaderVersion()).isZero();
    }

    static ApiMessage sample(ApiKeys key, short v) {
        return switch (key) {
            case API_VERSIONS -> v >= 3
                    ? new ApiVersionsRequestData().setClientSoftwareName("c").setClientSoftwareVersion("1")
                    : new ApiVersionsRequestData();
            case METADATA -> {
                MetadataRequestData data = new MetadataRequestData().setAllowAutoTopicCreation(v < 4);
                data.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("t"));
                yield data;
            }
            case DESCRIBE_TOPIC_PARTITIONS -> new org.apache.kafka.common.message.DescribeTopicPartitionsRequestData()
                    .setResponsePartitionLimit(10).setTopics(List.of(
                            new org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest().setName("t")))
                    .setCursor(new org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor()
                            .setTopicName("t").setPartitionIndex(1));
            case PRODUCE -> {
                ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
                if (v >= 13) {
                    topic.setTopicId(TOPIC_ID);
                } else {
                    topic.setName("t");
                }
                topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(2).setRecords(
                        MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(5L, new byte[] {1}, new byte[] {2}))));
                ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(100);
                data.topicData().add(topic);
                yield data;
            }
            case FETCH -> {
                FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic();
                if (v >= 13) {
                    topic.setTopicId(TOPIC_ID);
                } else {
                    topic.setTopic("t");
                }
                topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(1).setFetchOffset(9)
                        .setPartitionMaxBytes(1000));
                FetchRequestData data = new FetchRequestData().setMaxWaitMs(500).setMinBytes(1).setMaxBytes(5000)
                        .setReplicaId(v < 15 ? -1 : -1);
                data.topics().add(topic);
                yield data;
            }
            case LIST_OFFSETS -> {
                ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic().setName("t");
                topic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-2));
                ListOffsetsRequestData data = new ListOffsetsRequestData().setReplicaId(-1);
                data.topics().add(topic);
                yield data;
            }
            case CREATE_TOPICS -> {
                CreateTopicsRequestData.CreatableTopic topic = new CreateTopicsRequestData.CreatableTopic().setName("t")
                        .setNumPartitions(3).setReplicationFactor((short) 1);
                topic.configs().add(new CreateTopicsRequestData.CreatableTopicConfig().setName("retention.ms").setValue("1"));
                CreateTopicsRequestData data = new CreateTopicsRequestData().setTimeoutMs(100);
                data.topics().add(topic);
                yield data;
            }
            case INIT_PRODUCER_ID -> new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(10);
            case SASL_HANDSHAKE -> new org.apache.kafka.common.message.SaslHandshakeRequestData().setMechanism("PLAIN");
            case SASL_AUTHENTICATE -> new org.apache.kafka.common.message.SaslAuthenticateRequestData()
                    .setAuthBytes("\0u\0p".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case DESCRIBE_USER_SCRAM_CREDENTIALS -> new org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData()
                    .setUsers(List.of(new org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName().setName("u")));
            case ALTER_USER_SCRAM_CREDENTIALS -> new org.apache.kafka.common.message.AlterUserScramCredentialsRequestData()
                    .setUpsertions(List.of(new org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion()
                            .setName("u").setMechanism((byte) 1).setIterations(4096).setSalt(new byte[] {1, 2})
                            .setSaltedPassword(new byte[] {3, 4})));
            case DESCRIBE_CLIENT_QUOTAS -> new org.apache.kafka.common.message.DescribeClientQuotasRequestData()
                    .setComponents(List.of()).setStrict(false);
            case ALTER_CLIENT_QUOTAS -> new org.apache.kafka.common.message.AlterClientQuotasRequestData().setEntries(List.of(
                    new org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData()
                            .setEntity(List.of(new org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData()
                                    .setEntityType("client-id").setEntityName("c")))
                            .setOps(List.of(new org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData()
                                    .setKey("producer_byte_rate").setValue(1024)))));
            case DESCRIBE_ACLS -> new org.apache.kafka.common.message.DescribeAclsRequestData().setResourceTypeFilter((byte) 1)
                    .setPatternTypeFilter((byte) 1).setOperation((byte) 1).setPermissionType((byte) 1);
            case CREATE_ACLS -> new org.apache.kafka.common.message.CreateAclsRequestData().setCreations(List.of(
                    new org.apache.kafka.common.message.CreateAclsRequestData.AclCreation().setResourceType((byte) 2)
                            .setResourceName("t").setResourcePatternType((byte) 3).setPrincipal("User:a").setHost("*")
                            .setOperation((byte) 3).setPermissionType((byte) 3)));
            case DELETE_ACLS -> new org.apache.kafka.common.message.DeleteAclsRequestData().setFilters(List.of(
                    new org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter().setResourceTypeFilter((byte) 2)
                            .setResourceNameFilter("t").setPatternTypeFilter((byte) 3).setOperation((byte) 1)
                            .setPermissionType((byte) 1)));
            default -> io.tributary.kafka.admin.AdminRequestSamples.covers(key)
                    ? io.tributary.kafka.admin.AdminRequestSamples.sample(key, v)
                    : io.tributary.kafka.share.ShareRequestSamples.covers(key)
                    ? io.tributary.kafka.share.ShareRequestSamples.sample(key, v)
                    : io.tributary.kafka.txn.TxnRequestSamples.covers(key)
                    ? io.tributary.kafka.txn.TxnRequestSamples.sample(key, v)
                    : io.tributary.kafka.group.GroupRequestSamples.sample(key, v);
        };
    }
}
