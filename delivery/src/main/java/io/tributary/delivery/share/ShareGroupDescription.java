package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;

import java.util.List;
import java.util.Set;

/**
 * A share group as describe shows it.
 *
 * @param groupId    the group
 * @param state      "Empty" or "Stable", as Kafka names share-group states
 * @param groupEpoch bumped on every membership or assignment change
 * @param members    its members
 */
public record ShareGroupDescription(String groupId, String state, int groupEpoch, List<Member> members) {
    /** One member and its assigned partitions. */
    public record Member(String memberId, int memberEpoch, String clientId, String clientHost,
                         List<String> subscribedTopics, Set<TopicPartition> assignment) {
    }
}
