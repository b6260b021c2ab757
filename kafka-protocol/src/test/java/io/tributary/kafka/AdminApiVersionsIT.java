package io.tributary.kafka;

import io.tributary.kafka.admin.AdminRequestSamples;
import io.tributary.log.PartitionLog;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.ListConfigResourcesRequestData;
import org.apache.kafka.common.message.ListConfigResourcesResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each admin API at every advertised version over a raw connection: the answer parses with
 * kafka-clients at that version, and carries the error codes the Admin client cannot show (it
 * never sends these requests, or routes them elsewhere).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminApiVersionsIT {
    @TempDir
    static Path dir;
    static TestBroker broker;
    private RawClient client;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(dir);
        PartitionLog p = broker.log().createTopic("t", 1, Map.of()).partition(0);
        assertThat(p.logEndOffset()).isZero();
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
    void everySampleIsAnsweredAtEveryVersion() throws Exception {
        for (ApiKeys key : List.of(ApiKeys.DESCRIBE_CONFIGS, ApiKeys.DESCRIBE_CLUSTER, ApiKeys.OFFSET_FOR_LEADER_EPOCH,
                ApiKeys.DESCRIBE_PRODUCERS, ApiKeys.LIST_TRANSACTIONS, ApiKeys.CREATE_PARTITIONS, ApiKeys.ALTER_CONFIGS,
                ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiKeys.DESCRIBE_LOG_DIRS, ApiKeys.ELECT_LEADERS,
                ApiKeys.LIST_PARTITION_REASSIGNMENTS, ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ApiKeys.LIST_CONFIG_RESOURCES)) {
            for (short v : AdvertisedVersionsIT.versions(key)) {
                ApiMessage response = client.call(key, v, AdminRequestSamples.sample(key, v));
                assertThat(response).as("%s v%d", key, v).isNotNull();
            }
        }
    }

    @Test
    void listConfigResourcesByType() throws Exception {
        IncrementalAlterConfigsRequestData.AlterConfigsResource group = new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.GROUP.id()).setResourceName("configured-group");
        group.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("share.record.lock.duration.ms")
                .setValue("30000").setConfigOperation((byte) 0));
        IncrementalAlterConfigsRequestData alter = new IncrementalAlterConfigsRequestData();
        alter.resources().add(group);
        IncrementalAlterConfigsResponseData altered = (IncrementalAlterConfigsResponseData) client.call(
                ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 1, alter);
        assertThat(altered.responses()).singleElement().extracting(r -> r.errorCode()).isEqualTo(Errors.NONE.code());

        ListConfigResourcesResponseData v0 = listConfigResources((short) 0);
        ListConfigResourcesResponseData all = listConfigResources((short) 1);
        ListConfigResourcesResponseData brokers = listConfigResources((short) 1, ConfigResource.Type.BROKER.id());
        ListConfigResourcesResponseData metrics = listConfigResources((short) 1, ConfigResource.Type.CLIENT_METRICS.id());

        assertThat(v0.errorCode()).isZero();
        assertThat(v0.configResources()).as("no client-metrics subscriptions").isEmpty();
        assertThat(all.configResources()).extracting(r -> r.resourceType() + ":" + r.resourceName())
                .contains(ConfigResource.Type.GROUP.id() + ":configured-group", ConfigResource.Type.TOPIC.id() + ":t",
                        ConfigResource.Type.BROKER.id() + ":" + TestBroker.NODE_ID);
        assertThat(brokers.configResources()).singleElement()
                .satisfies(r -> assertThat(r.resourceName()).isEqualTo(Integer.toString(TestBroker.NODE_ID)));
        assertThat(metrics.errorCode()).isZero();
        assertThat(metrics.configResources()).isEmpty();
        for (byte unsupported : new byte[] {ConfigResource.Type.BROKER_LOGGER.id(), 3, 0}) {
            assertThat(listConfigResources((short) 1, unsupported).errorCode()).as("type %d", unsupported)
                    .isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        }
    }

    private ListConfigResourcesResponseData listConfigResources(short version, Byte... types) throws Exception {
        return (ListConfigResourcesResponseData) client.call(ApiKeys.LIST_CONFIG_RESOURCES, version,
                new ListConfigResourcesRequestData().setResourceTypes(List.of(types)));
    }

    @Test
    void electLeadersNeedsNoElectionOnOneNodeAtEveryVersion() throws Exception {
        for (short v : AdvertisedVersionsIT.versions(ApiKeys.ELECT_LEADERS)) {
            ElectLeadersRequestData request = new ElectLeadersRequestData().setTimeoutMs(1000).setElectionType((byte) 0);
            request.topicPartitions().add(new ElectLeadersRequestData.TopicPartitions().setTopic("t")
                    .setPartitions(List.of(0, 5)));
            request.topicPartitions().add(new ElectLeadersRequestData.TopicPartitions().setTopic("missing")
                    .setPartitions(List.of(0)));
            ElectLeadersResponseData response = (ElectLeadersResponseData) client.call(ApiKeys.ELECT_LEADERS, v, request);
            assertThat(response.replicaElectionResults()).as("v%d", v).hasSize(2);
            assertThat(response.replicaElectionResults().get(0).partitionResult())
                    .extracting(ElectLeadersResponseData.PartitionResult::partitionId,
                            ElectLeadersResponseData.PartitionResult::errorCode)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, Errors.ELECTION_NOT_NEEDED.code()),
                            org.assertj.core.groups.Tuple.tuple(5, Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
            assertThat(response.replicaElectionResults().get(1).partitionResult()).singleElement()
                    .extracting(ElectLeadersResponseData.PartitionResult::errorCode)
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            ElectLeadersResponseData all = (ElectLeadersResponseData) client.call(ApiKeys.ELECT_LEADERS, v,
                    new ElectLeadersRequestData().setTimeoutMs(1000).setTopicPartitions(null));
            assertThat(all.replicaElectionResults()).as("all partitions, v%d", v).isEmpty();
        }
    }

    @Test
    void partitionReassignmentsAreCheckedAndNeverInProgress() throws Exception {
        for (short v : AdvertisedVersionsIT.versions(ApiKeys.ALTER_PARTITION_REASSIGNMENTS)) {
            AlterPartitionReassignmentsRequestData.ReassignableTopic topic =
                    new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName("t");
            for (List<Integer> replicas : java.util.Arrays.asList(List.of(1), List.of(2), List.of(1, 1), List.<Integer>of(),
                    null)) {
                topic.partitions().add(new AlterPartitionReassignmentsRequestData.ReassignablePartition()
                        .setPartitionIndex(0).setReplicas(replicas));
            }
            topic.partitions().add(new AlterPartitionReassignmentsRequestData.ReassignablePartition().setPartitionIndex(7)
                    .setReplicas(List.of(1)));
            AlterPartitionReassignmentsRequestData request = new AlterPartitionReassignmentsRequestData().setTimeoutMs(1000);
            request.topics().add(topic);
            AlterPartitionReassignmentsResponseData response =
                    (AlterPartitionReassignmentsResponseData) client.call(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, v, request);
            assertThat(response.errorCode()).isZero();
            assertThat(response.responses()).singleElement().satisfies(t -> assertThat(t.partitions())
                    .extracting(AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse::errorCode)
                    .as("v%d", v)
                    .containsExactly(Errors.NONE.code(), Errors.INVALID_REPLICA_ASSIGNMENT.code(),
                            Errors.INVALID_REPLICA_ASSIGNMENT.code(), Errors.INVALID_REPLICA_ASSIGNMENT.code(),
                            Errors.NO_REASSIGNMENT_IN_PROGRESS.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        }
        ListPartitionReassignmentsResponseData listed = (ListPartitionReassignmentsResponseData) client.call(
                ApiKeys.LIST_PARTITION_REASSIGNMENTS, (short) 0, new ListPartitionReassignmentsRequestData().setTopics(null));
        assertThat(listed.errorCode()).isZero();
        assertThat(listed.topics()).isEmpty();
        assertThat(broker.log().topic("t").orElseThrow().partitionCount()).as("nothing moved or changed").isEqualTo(1);
    }

    @Test
    void deleteTopicsOfUnknownNamesAtEveryVersion() throws Exception {
        for (short v : AdvertisedVersionsIT.versions(ApiKeys.DELETE_TOPICS)) {
            DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(1000);
            if (v >= 6) {
                request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("missing"));
            } else {
                request.setTopicNames(List.of("missing"));
            }
            DeleteTopicsResponseData response = (DeleteTopicsResponseData) client.call(ApiKeys.DELETE_TOPICS, v, request);
            assertThat(response.responses()).singleElement().satisfies(r -> {
                assertThat(r.name()).isEqualTo("missing");
                assertThat(r.errorCode()).as("v%d", v).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            });
        }
        DeleteTopicsRequestData twice = new DeleteTopicsRequestData().setTopicNames(List.of("t", "t"));
        DeleteTopicsResponseData response = (DeleteTopicsResponseData) client.call(ApiKeys.DELETE_TOPICS, (short) 5, twice);
        assertThat(response.responses()).singleElement().extracting(DeleteTopicsResponseData.DeletableTopicResult::errorCode)
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(broker.log().topic("t")).as("a duplicated name deletes nothing").isPresent();
    }

    @Test
    void describeConfigsFiltersKeysAndChecksBrokerIds() throws Exception {
        for (short v : AdvertisedVersionsIT.versions(ApiKeys.DESCRIBE_CONFIGS)) {
            DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeDocumentation(v >= 3);
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("t")
                    .setConfigurationKeys(List.of("retention.ms")));
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("7"));
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("bad/name"));
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("never-created"));
            DescribeConfigsResponseData response = (DescribeConfigsResponseData) client.call(ApiKeys.DESCRIBE_CONFIGS, v, request);
            assertThat(response.results()).hasSize(4);
            assertThat(response.results().get(0).configs()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("retention.ms");
                assertThat(c.value()).isEqualTo("604800000");
                assertThat(c.synonyms()).as("not asked for").isEmpty();
            });
            assertThat(response.results().get(1).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(response.results().get(2).errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
            // as Kafka 4.4 answers (seen with kafka-python): the code, and an empty message rather than null
            assertThat(response.results().get(3).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(response.results().get(3).errorMessage()).as("v%d", v).isEmpty();
        }
    }

    @Test
    void legacyAlterConfigsReplacesTheWholeSet() throws Exception {
        broker.log().createTopic("legacy", 1, Map.of("retention.ms", "1000", "segment.bytes", "100000"));
        for (short v : AdvertisedVersionsIT.versions(ApiKeys.ALTER_CONFIGS)) {
            AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("legacy");
            resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                    .setValue(Integer.toString(2000 + v)));
            AlterConfigsRequestData request = new AlterConfigsRequestData();
            request.resources().add(resource);
            AlterConfigsResponseData response = (AlterConfigsResponseData) client.call(ApiKeys.ALTER_CONFIGS, v, request);
            assertThat(response.responses()).singleElement().extracting(AlterConfigsResponseData.AlterConfigsResourceResponse::errorCode)
                    .isEqualTo(Errors.NONE.code());
            assertThat(broker.log().topic("legacy").orElseThrow().configOverrides())
                    .containsOnly(Map.entry("retention.ms", Integer.toString(2000 + v)));
        }
    }

    @Test
    void describeClusterAtEveryVersion() throws Exception {
        for (short v : AdvertisedVersionsIT.versions(ApiKeys.DESCRIBE_CLUSTER)) {
            DescribeClusterResponseData response = (DescribeClusterResponseData) client.call(ApiKeys.DESCRIBE_CLUSTER, v,
                    new DescribeClusterRequestData());
            assertThat(response.errorCode()).isZero();
            assertThat(response.clusterId()).isEqualTo(TestBroker.CLUSTER_ID);
            assertThat(response.controllerId()).isEqualTo(TestBroker.NODE_ID);
            assertThat(response.clusterAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
            assertThat(response.brokers()).singleElement().satisfies(b -> assertThat(b.port()).isEqualTo(broker.port()));
        }
        DescribeClusterResponseData controllers = (DescribeClusterResponseData) client.call(ApiKeys.DESCRIBE_CLUSTER, (short) 1,
                new DescribeClusterRequestData().setEndpointType((byte) 2));
        assertThat(controllers.errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
    }

    @Test
    void offsetForLeaderEpochAnswersTheLogEndForEpochZero() throws Exception {
        PartitionLog p = broker.log().createTopic("epochs", 1, Map.of()).partition(0);
        for (short v : AdvertisedVersionsIT.versions(ApiKeys.OFFSET_FOR_LEADER_EPOCH)) {
            OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic =
                    new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("epochs");
            topic.partitions().add(part(0, -1, 0));
            topic.partitions().add(part(0, 0, 1));
            topic.partitions().add(part(0, 3, 0));
            topic.partitions().add(part(4, -1, 0));
            OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(v >= 3 ? -1 : -2);
            request.topics().add(topic);
            OffsetForLeaderEpochResponseData response = (OffsetForLeaderEpochResponseData)
                    client.call(ApiKeys.OFFSET_FOR_LEADER_EPOCH, v, request);
            List<EpochEndOffset> partitions = response.topics().find("epochs").partitions();
            assertThat(partitions.get(0).errorCode()).isZero();
            assertThat(partitions.get(0).leaderEpoch()).isZero();
            assertThat(partitions.get(0).endOffset()).isEqualTo(p.logEndOffset());
            assertThat(partitions.get(1).errorCode()).isZero();
            assertThat(partitions.get(1).leaderEpoch()).isEqualTo(-1);
            assertThat(partitions.get(1).endOffset()).isEqualTo(-1);
            assertThat(partitions.get(2).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
            assertThat(partitions.get(3).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    @Test
    void deleteRecordsAndDescribeProducersOfUnknownPartitions() throws Exception {
        for (short v : AdvertisedVersionsIT.versions(ApiKeys.DELETE_RECORDS)) {
            DeleteRecordsRequestData.DeleteRecordsTopic topic = new DeleteRecordsRequestData.DeleteRecordsTopic().setName("t");
            topic.partitions().add(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(3).setOffset(0));
            topic.partitions().add(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(-1));
            DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(1000);
            request.topics().add(topic);
            DeleteRecordsResponseData response = (DeleteRecordsResponseData) client.call(ApiKeys.DELETE_RECORDS, v, request);
            var partitions = response.topics().find("t").partitions();
            assertThat(partitions.find(3).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(partitions.find(0).errorCode()).isZero();
            assertThat(partitions.find(0).lowWatermark()).isZero();
        }
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest().setName("t").setPartitionIndexes(List.of(0, 9)));
        DescribeProducersResponseData response = (DescribeProducersResponseData) client.call(ApiKeys.DESCRIBE_PRODUCERS,
                (short) 0, request);
        var partitions = response.topics().get(0).partitions();
        assertThat(partitions.get(0).errorCode()).isZero();
        assertThat(partitions.get(0).activeProducers()).isEmpty();
        assertThat(partitions.get(1).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void listTransactionsChecksItsFilters() throws Exception {
        ListTransactionsResponseData unknownState = (ListTransactionsResponseData) client.call(ApiKeys.LIST_TRANSACTIONS,
                (short) 1, new ListTransactionsRequestData().setStateFilters(List.of("Ongoing", "Sleeping")));
        assertThat(unknownState.errorCode()).isZero();
        assertThat(unknownState.unknownStateFilters()).containsExactly("Sleeping");
        assertThat(unknownState.transactionStates()).isEmpty();
        ListTransactionsResponseData badPattern = (ListTransactionsResponseData) client.call(ApiKeys.LIST_TRANSACTIONS,
                (short) 2, new ListTransactionsRequestData().setTransactionalIdPattern("(unclosed"));
        assertThat(badPattern.errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
    }

    private static OffsetForLeaderEpochRequestData.OffsetForLeaderPartition part(int partition, int current, int epoch) {
        return new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(partition)
                .setCurrentLeaderEpoch(current).setLeaderEpoch(epoch);
    }

}
