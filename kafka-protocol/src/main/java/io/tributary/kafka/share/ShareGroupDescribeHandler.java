package io.tributary.kafka.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareGroupDescription;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.api.OperationBits;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ShareGroupDescribe (v1): state, epochs and members with their assignments. A group id that is not a
 * share group gets GROUP_ID_NOT_FOUND, with Kafka's messages ("Group g is not a share group." for a consumer or
 * classic group, "Group g not found." otherwise). The assignor is reported as {@code simple}, Kafka's only share-group
 * assignor, although Tributary's assignment differs (see docs/queues.md).
 */
public final class ShareGroupDescribeHandler implements ApiHandler {
    private final ShareEngine engine;
    private final GroupCoordinator groups;
    private final LogManager log;

    ShareGroupDescribeHandler(ShareEngine engine, GroupCoordinator groups, LogManager log) {
        this.engine = engine;
        this.groups = groups;
        this.log = log;
    }

    @Override
    public void handle(RequestContext context) {
        ShareGroupDescribeRequestData request = (ShareGroupDescribeRequestData) context.request().body();
        ShareGroupDescribeResponseData response = new ShareGroupDescribeResponseData();
        for (String groupId : request.groupIds()) {
            ShareGroupDescribeResponseData.DescribedGroup described = new ShareGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(groupId).setAuthorizedOperations(OperationBits.NOT_ASKED);
            response.groups().add(described);
            ShareGroupDescription group = engine.describe(groupId);
            if (group == null) {
                described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage(ShareGroupHeartbeatHandler.isOtherGroup(groups, groupId)
                                ? "Group " + groupId + " is not a share group." : "Group " + groupId + " not found.");
                continue;
            }
            if (request.includeAuthorizedOperations()) {
                described.setAuthorizedOperations(OperationBits.ALL_GROUP);
            }
            described.setGroupState(group.state()).setGroupEpoch(group.groupEpoch())
                    .setAssignmentEpoch(group.groupEpoch()).setAssignorName("simple");
            for (ShareGroupDescription.Member m : group.members()) {
                described.members().add(new ShareGroupDescribeResponseData.Member().setMemberId(m.memberId())
                        .setMemberEpoch(m.memberEpoch()).setClientId(m.clientId() == null ? "" : m.clientId())
                        .setClientHost(m.clientHost() == null ? "" : m.clientHost())
                        .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopics()))
                        .setAssignment(new ShareGroupDescribeResponseData.Assignment()
                                .setTopicPartitions(topicPartitions(m.assignment()))));
            }
        }
        context.respond(response);
    }

    private List<ShareGroupDescribeResponseData.TopicPartitions> topicPartitions(Set<TopicPartition> assignment) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        assignment.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        List<ShareGroupDescribeResponseData.TopicPartitions> result = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> {
            partitions.sort(Integer::compare);
            Uuid id = log.topic(topic).map(Topics::kafkaId).orElse(Uuid.ZERO_UUID);
            result.add(new ShareGroupDescribeResponseData.TopicPartitions().setTopicId(id).setTopicName(topic)
                    .setPartitions(partitions));
        });
        return result;
    }
}
