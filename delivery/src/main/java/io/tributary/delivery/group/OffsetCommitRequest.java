package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.List;

/**
 * Offsets to commit for a group.
 *
 * @param memberId                   empty with generation -1 for a "simple" commit from outside the group
 * @param generationIdOrMemberEpoch  the classic generation or the consumer-protocol member epoch; -1 if none
 */
public record OffsetCommitRequest(String groupId, String memberId, String groupInstanceId,
                                  int generationIdOrMemberEpoch, List<PartitionOffset> offsets) {

    /** One partition's new position. */
    public record PartitionOffset(TopicPartition partition, long offset, int leaderEpoch, String metadata) {
    }
}
