package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.List;
import java.util.Set;

/** ConsumerGroupDescribe view of a KIP-848 group; {@code error} is GROUP_ID_NOT_FOUND for any other group. */
public record ConsumerGroupDescription(String groupId, GroupError error, GroupState state, int groupEpoch,
                                       int assignmentEpoch, String assignorName, List<Member> members) {

    /** A member with its current and target assignments. */
    public record Member(String memberId, String groupInstanceId, String rackId, int memberEpoch, String clientId,
                         String clientHost, List<String> subscribedTopicNames, String subscribedTopicRegex,
                         Set<TopicPartition> assignment, Set<TopicPartition> targetAssignment) {
    }
}
