package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.Set;

/**
 * Answer to a consumer-protocol heartbeat.
 *
 * @param assignment the partitions the member should own now (always sent on success); null on error
 */
public record ConsumerHeartbeatResult(GroupError error, String errorMessage, String memberId, int memberEpoch,
                                      int heartbeatIntervalMs, Set<TopicPartition> assignment) {

    static ConsumerHeartbeatResult failure(GroupError error, String message, String memberId, int memberEpoch) {
        return new ConsumerHeartbeatResult(error, message, memberId, memberEpoch, 0, null);
    }
}
