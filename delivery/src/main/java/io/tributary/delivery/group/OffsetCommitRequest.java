package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.List;

/**
 * Offsets to commit for a group.
 *
 * @param memberId                   empty with generation -1 for a "simple" commit from outside the group
 * @param generationIdOrMemberEpoch  the classic generation or the consumer-protocol member epoch; -1 if none
 * @param sender                     whether the sender can carry a member epoch at all
 */
public record OffsetCommitRequest(String groupId, String memberId, String groupInstanceId,
                                  int generationIdOrMemberEpoch, List<PartitionOffset> offsets, Sender sender) {

    /** A commit from a sender that can name a member epoch ({@link Sender#EPOCH_AWARE}). */
    public OffsetCommitRequest(String groupId, String memberId, String groupInstanceId,
                               int generationIdOrMemberEpoch, List<PartitionOffset> offsets) {
        this(groupId, memberId, groupInstanceId, generationIdOrMemberEpoch, offsets, Sender.EPOCH_AWARE);
    }

    /**
     * What the generation field of a commit can mean. A consumer-protocol member's commit must carry its epoch,
     * so a commit in a form that only knows classic generations (Kafka's OffsetCommit before v9) is refused for
     * such a member with {@link GroupError#UNSUPPORTED_VERSION}, as Kafka refuses it.
     */
    public enum Sender {
        /** The field is a classic generation only. */
        GENERATION_ONLY,
        /** The field is a classic generation or a consumer-protocol member epoch. */
        EPOCH_AWARE
    }

    /** One partition's new position. */
    public record PartitionOffset(TopicPartition partition, long offset, int leaderEpoch, String metadata) {
    }
}
