package io.tributary.kafka.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.ConsumerGroupDescription;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.OperationBits;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** ConsumerGroupDescribe (KIP-848): epochs, assignor, and each member's current and target assignment. */
public final class ConsumerGroupDescribeHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final TopicIds topics;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator, TopicIds topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    @Override
    public void handle(RequestContext context) {
        ConsumerGroupDescribeRequestData request = (ConsumerGroupDescribeRequestData) context.request().body();
        ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
        for (String groupId : request.groupIds()) {
            ConsumerGroupDescription description = coordinator.describeConsumerGroup(groupId);
            ConsumerGroupDescribeResponseData.DescribedGroup group = new ConsumerGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(groupId).setErrorCode(GroupErrors.code(description.error()));
            if (description.error() != GroupError.NONE) {
                group.setErrorMessage(notFoundMessage(groupId));
                response.groups().add(group);
                continue;
            }
            if (request.includeAuthorizedOperations()) {
                group.setAuthorizedOperations(OperationBits.ALL_GROUP);
            }
            group.setGroupState(description.state().displayName()).setGroupEpoch(description.groupEpoch())
                    .setAssignmentEpoch(description.assignmentEpoch()).setAssignorName(description.assignorName());
            for (ConsumerGroupDescription.Member member : description.members()) {
                group.members().add(new ConsumerGroupDescribeResponseData.Member().setMemberId(member.memberId())
                        .setInstanceId(member.groupInstanceId()).setRackId(member.rackId())
                        .setMemberEpoch(member.memberEpoch())
                        .setClientId(member.clientId() == null ? "" : member.clientId())
                        .setClientHost(member.clientHost() == null ? "" : member.clientHost())
                        .setSubscribedTopicNames(member.subscribedTopicNames())
                        .setSubscribedTopicRegex(member.subscribedTopicRegex())
                        .setAssignment(assignment(member.assignment()))
                        .setTargetAssignment(assignment(member.targetAssignment())));
            }
            response.groups().add(group);
        }
        context.respond(response);
    }

    /**
     * Kafka's wording, which {@code kafka-consumer-groups --describe} prints for a group that is not there:
     * "not found" for an unknown id, "is not a consumer group" only for a classic group's id (the Admin then
     * falls back to DescribeGroups, so a user never sees that one).
     */
    private String notFoundMessage(String groupId) {
        boolean exists = coordinator.listGroups(Set.of(), Set.of()).stream().anyMatch(g -> g.groupId().equals(groupId));
        return exists ? "Group " + groupId + " is not a consumer group." : "Group " + groupId + " not found.";
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(Set<TopicPartition> partitions) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        for (Map.Entry<String, List<Integer>> topic : ConsumerGroupHeartbeatHandler.byTopic(partitions).entrySet()) {
            assignment.topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                    .setTopicId(topics.idOf(topic.getKey())).setTopicName(topic.getKey()).setPartitions(topic.getValue()));
        }
        return assignment;
    }
}
