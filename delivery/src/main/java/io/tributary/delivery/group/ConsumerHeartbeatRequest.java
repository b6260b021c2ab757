package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.List;

/**
 * A heartbeat of the KIP-848 consumer protocol. Null fields mean "unchanged since the last heartbeat".
 *
 * @param memberId             empty to let the coordinator generate one on a first join
 * @param memberEpoch          0 to join, -1 to leave, -2 for a static member's temporary leave, else the
 *                             epoch the coordinator last gave this member
 * @param subscribedTopicNames required on a join unless a regex is given
 * @param serverAssignor       "uniform" or "range"; null for the group's default
 * @param ownedPartitions      what the member owns now; required after a revocation was asked
 */
public record ConsumerHeartbeatRequest(String groupId, String memberId, int memberEpoch, String groupInstanceId,
                                       String rackId, int rebalanceTimeoutMs, List<String> subscribedTopicNames,
                                       String subscribedTopicRegex, String serverAssignor,
                                       List<TopicPartition> ownedPartitions, String clientId, String clientHost) {
    public static final int JOIN_EPOCH = 0;
    public static final int LEAVE_EPOCH = -1;
    public static final int STATIC_LEAVE_EPOCH = -2;
}
