package io.tributary.kafka.group;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.List;

/** A valid request of each group API at each version, with only the fields that version carries. */
public final class GroupRequestSamples {
    /** The topic id OffsetCommit and OffsetFetch v10 samples name (no topic of any test broker has it). */
    public static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAg");

    private GroupRequestSamples() {
    }

    public static ApiMessage sample(ApiKeys key, short v) {
        return switch (key) {
            case FIND_COORDINATOR -> v < 4 ? new FindCoordinatorRequestData().setKey("g")
                    : new FindCoordinatorRequestData().setCoordinatorKeys(List.of("g", "h"));
            case JOIN_GROUP -> {
                JoinGroupRequestData data = new JoinGroupRequestData().setGroupId("g").setSessionTimeoutMs(10_000)
                        .setMemberId("").setProtocolType("consumer");
                if (v >= 1) {
                    data.setRebalanceTimeoutMs(20_000);
                }
                data.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                        .setMetadata(new byte[] {1}));
                yield data;
            }
            case SYNC_GROUP -> {
                SyncGroupRequestData data = new SyncGroupRequestData().setGroupId("g").setGenerationId(1).setMemberId("m");
                data.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("m")
                        .setAssignment(new byte[] {2}));
                yield data;
            }
            case HEARTBEAT -> new HeartbeatRequestData().setGroupId("g").setGenerationId(1).setMemberId("m");
            case LEAVE_GROUP -> v < 3 ? new LeaveGroupRequestData().setGroupId("g").setMemberId("m")
                    : new LeaveGroupRequestData().setGroupId("g").setMembers(
                            List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m")));
            case OFFSET_COMMIT -> {
                OffsetCommitRequestData data = new OffsetCommitRequestData().setGroupId("g")
                        .setGenerationIdOrMemberEpoch(1).setMemberId("m");
                OffsetCommitRequestData.OffsetCommitRequestTopic topic = v >= 10
                        ? new OffsetCommitRequestData.OffsetCommitRequestTopic().setTopicId(TOPIC_ID)
                        : new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t");
                topic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                        .setCommittedOffset(5).setCommittedMetadata("meta"));
                data.topics().add(topic);
                yield data;
            }
            case OFFSET_FETCH -> v < 8
                    ? new OffsetFetchRequestData().setGroupId("g").setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("t").setPartitionIndexes(List.of(0))))
                    : new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                            .setGroupId("g").setTopics(List.of(v >= 10
                                    ? new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(TOPIC_ID)
                                            .setPartitionIndexes(List.of(0))
                                    : new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("t")
                                            .setPartitionIndexes(List.of(0))))));
            case OFFSET_DELETE -> {
                OffsetDeleteRequestData.OffsetDeleteRequestTopic topic =
                        new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("t");
                topic.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0));
                OffsetDeleteRequestData data = new OffsetDeleteRequestData().setGroupId("g");
                data.topics().add(topic);
                yield data;
            }
            case LIST_GROUPS -> new ListGroupsRequestData();
            case DESCRIBE_GROUPS -> new DescribeGroupsRequestData().setGroups(List.of("g"));
            case DELETE_GROUPS -> new DeleteGroupsRequestData().setGroupsNames(List.of("g"));
            case CONSUMER_GROUP_HEARTBEAT -> new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("m")
                    .setMemberEpoch(0).setRebalanceTimeoutMs(1000).setSubscribedTopicNames(List.of("t"))
                    .setTopicPartitions(List.of());
            case CONSUMER_GROUP_DESCRIBE -> new ConsumerGroupDescribeRequestData().setGroupIds(List.of("g"));
            default -> throw new IllegalArgumentException("no sample for " + key);
        };
    }
}
