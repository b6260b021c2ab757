package io.tributary.kafka.share;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.List;
import java.util.Set;

/** A valid request body of each share-group API, for codec tests. */
public final class ShareRequestSamples {
    private static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    private static final Set<ApiKeys> KEYS = Set.of(ApiKeys.SHARE_GROUP_HEARTBEAT, ApiKeys.SHARE_GROUP_DESCRIBE,
            ApiKeys.SHARE_FETCH, ApiKeys.SHARE_ACKNOWLEDGE, ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS,
            ApiKeys.ALTER_SHARE_GROUP_OFFSETS, ApiKeys.DELETE_SHARE_GROUP_OFFSETS);

    private ShareRequestSamples() {
    }

    public static boolean covers(ApiKeys key) {
        return KEYS.contains(key);
    }

    public static ApiMessage sample(ApiKeys key, short v) {
        return switch (key) {
            case SHARE_GROUP_HEARTBEAT -> new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId("m")
                    .setMemberEpoch(0).setSubscribedTopicNames(List.of("t"));
            case SHARE_GROUP_DESCRIBE -> new ShareGroupDescribeRequestData().setGroupIds(List.of("g"));
            case SHARE_FETCH -> {
                ShareFetchRequestData.FetchTopic topic = new ShareFetchRequestData.FetchTopic().setTopicId(TOPIC_ID);
                        topic.partitions().add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0));
                ShareFetchRequestData data = new ShareFetchRequestData().setGroupId("g").setMemberId("m")
                        .setShareSessionEpoch(0).setMaxWaitMs(100).setMinBytes(1).setMaxBytes(1000)
                        .setMaxRecords(10).setBatchSize(10);
                data.topics().add(topic);
                yield data;
            }
            case SHARE_ACKNOWLEDGE -> {
                ShareAcknowledgeRequestData.AcknowledgeTopic topic = new ShareAcknowledgeRequestData.AcknowledgeTopic()
                        .setTopicId(TOPIC_ID);
                topic.partitions().add(new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0)
                        .setAcknowledgementBatches(List.of(new ShareAcknowledgeRequestData.AcknowledgementBatch()
                                .setFirstOffset(0).setLastOffset(1).setAcknowledgeTypes(List.of((byte) 1)))));
                ShareAcknowledgeRequestData data = new ShareAcknowledgeRequestData().setGroupId("g").setMemberId("m")
                        .setShareSessionEpoch(1);
                data.topics().add(topic);
                yield data;
            }
            case DESCRIBE_SHARE_GROUP_OFFSETS -> new DescribeShareGroupOffsetsRequestData().setGroups(List.of(
                    new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup().setGroupId("g")
                            .setTopics(List.of(new DescribeShareGroupOffsetsRequestData
                                    .DescribeShareGroupOffsetsRequestTopic().setTopicName("t").setPartitions(List.of(0))))));
            case ALTER_SHARE_GROUP_OFFSETS -> {
                AlterShareGroupOffsetsRequestData data = new AlterShareGroupOffsetsRequestData().setGroupId("g");
                data.topics().add(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic()
                        .setTopicName("t").setPartitions(List.of(new AlterShareGroupOffsetsRequestData
                                .AlterShareGroupOffsetsRequestPartition().setPartitionIndex(0).setStartOffset(3))));
                yield data;
            }
            case DELETE_SHARE_GROUP_OFFSETS -> new DeleteShareGroupOffsetsRequestData().setGroupId("g")
                    .setTopics(List.of(new DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic()
                            .setTopicName("t")));
            default -> throw new IllegalArgumentException("no sample for " + key);
        };
    }
}
