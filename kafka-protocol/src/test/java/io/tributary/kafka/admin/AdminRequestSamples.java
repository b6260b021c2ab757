package io.tributary.kafka.admin;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.ListConfigResourcesRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.List;
import java.util.Set;

/** A representative request of each admin API at a given version, for codec tests. */
public final class AdminRequestSamples {
    private static final Set<ApiKeys> KEYS = Set.of(ApiKeys.DELETE_TOPICS, ApiKeys.CREATE_PARTITIONS,
            ApiKeys.DESCRIBE_CONFIGS, ApiKeys.ALTER_CONFIGS, ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiKeys.DESCRIBE_CLUSTER,
            ApiKeys.DELETE_RECORDS, ApiKeys.OFFSET_FOR_LEADER_EPOCH, ApiKeys.DESCRIBE_PRODUCERS,
            ApiKeys.LIST_TRANSACTIONS, ApiKeys.DESCRIBE_LOG_DIRS, ApiKeys.ELECT_LEADERS,
            ApiKeys.LIST_PARTITION_REASSIGNMENTS, ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ApiKeys.LIST_CONFIG_RESOURCES);

    private AdminRequestSamples() {
    }

    public static boolean covers(ApiKeys key) {
        return KEYS.contains(key);
    }

    public static ApiMessage sample(ApiKeys key, short v) {
        byte topic = ConfigResource.Type.TOPIC.id();
        return switch (key) {
            case DELETE_TOPICS -> {
                DeleteTopicsRequestData data = new DeleteTopicsRequestData().setTimeoutMs(100);
                if (v >= 6) {
                    data.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("t"));
                    data.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(null)
                            .setTopicId(Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ")));
                } else {
                    data.setTopicNames(List.of("t", "u"));
                }
                yield data;
            }
            case CREATE_PARTITIONS -> {
                CreatePartitionsRequestData data = new CreatePartitionsRequestData().setTimeoutMs(100).setValidateOnly(true);
                data.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("t").setCount(3)
                        .setAssignments(null));
                yield data;
            }
            case DESCRIBE_CONFIGS -> {
                DescribeConfigsRequestData data = new DescribeConfigsRequestData().setIncludeSynonyms(true)
                        .setIncludeDocumentation(v >= 3);
                data.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(topic)
                        .setResourceName("t").setConfigurationKeys(List.of("retention.ms")));
                yield data;
            }
            case ALTER_CONFIGS -> {
                AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(topic).setResourceName("t");
                resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("5"));
                AlterConfigsRequestData data = new AlterConfigsRequestData().setValidateOnly(true);
                data.resources().add(resource);
                yield data;
            }
            case INCREMENTAL_ALTER_CONFIGS -> {
                IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType(topic).setResourceName("t");
                resource.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                        .setConfigOperation((byte) 0).setValue("5"));
                IncrementalAlterConfigsRequestData data = new IncrementalAlterConfigsRequestData();
                data.resources().add(resource);
                yield data;
            }
            case DESCRIBE_CLUSTER -> new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true)
                    .setEndpointType((byte) 1).setIncludeFencedBrokers(v >= 2);
            case DELETE_RECORDS -> {
                DeleteRecordsRequestData.DeleteRecordsTopic t = new DeleteRecordsRequestData.DeleteRecordsTopic().setName("t");
                t.partitions().add(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(4));
                DeleteRecordsRequestData data = new DeleteRecordsRequestData().setTimeoutMs(100);
                data.topics().add(t);
                yield data;
            }
            case OFFSET_FOR_LEADER_EPOCH -> {
                OffsetForLeaderEpochRequestData.OffsetForLeaderTopic t =
                        new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("t");
                t.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                        .setCurrentLeaderEpoch(0).setLeaderEpoch(0));
                OffsetForLeaderEpochRequestData data = new OffsetForLeaderEpochRequestData().setReplicaId(v >= 3 ? -1 : -2);
                data.topics().add(t);
                yield data;
            }
            case DESCRIBE_PRODUCERS -> {
                DescribeProducersRequestData data = new DescribeProducersRequestData();
                data.topics().add(new DescribeProducersRequestData.TopicRequest().setName("t").setPartitionIndexes(List.of(0, 1)));
                yield data;
            }
            case LIST_TRANSACTIONS -> new ListTransactionsRequestData().setStateFilters(List.of("Ongoing"))
                    .setDurationFilter(v >= 1 ? 1000L : -1L).setTransactionalIdPattern(v >= 2 ? "app-.*" : null);
            case DESCRIBE_LOG_DIRS -> {
                DescribeLogDirsRequestData data = new DescribeLogDirsRequestData();
                data.topics().add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("t")
                        .setPartitions(List.of(0, 3)));
                yield data;
            }
            case ELECT_LEADERS -> {
                ElectLeadersRequestData data = new ElectLeadersRequestData().setElectionType((byte) 0).setTimeoutMs(100);
                data.topicPartitions().add(new ElectLeadersRequestData.TopicPartitions().setTopic("t")
                        .setPartitions(List.of(0, 3)));
                yield data;
            }
            case LIST_PARTITION_REASSIGNMENTS -> new ListPartitionReassignmentsRequestData().setTimeoutMs(100);
            case ALTER_PARTITION_REASSIGNMENTS -> {
                AlterPartitionReassignmentsRequestData.ReassignableTopic t =
                        new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName("t");
                t.partitions().add(new AlterPartitionReassignmentsRequestData.ReassignablePartition().setPartitionIndex(0)
                        .setReplicas(List.of(1)));
                AlterPartitionReassignmentsRequestData data = new AlterPartitionReassignmentsRequestData().setTimeoutMs(100);
                data.topics().add(t);
                yield data;
            }
            case LIST_CONFIG_RESOURCES -> new ListConfigResourcesRequestData()
                    .setResourceTypes(v >= 1 ? List.of(topic, ConfigResource.Type.BROKER.id()) : List.of());
            default -> throw new IllegalArgumentException("no sample for " + key);
        };
    }
}
