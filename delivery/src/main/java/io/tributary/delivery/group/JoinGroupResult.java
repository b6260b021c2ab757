package io.tributary.delivery.group;

import java.util.List;

/**
 * Answer to a join, sent when the join phase of the rebalance ends (or at once on an error).
 *
 * @param members        every member with its metadata for the selected protocol; only for the leader
 * @param skipAssignment true when a static leader was replaced without a rebalance: it must not assign
 */
public record JoinGroupResult(GroupError error, int generationId, String protocolType, String protocolName,
                              String leaderId, String memberId, boolean skipAssignment, List<JoinedMember> members) {

    static JoinGroupResult failure(GroupError error, String memberId) {
        return new JoinGroupResult(error, -1, null, null, "", memberId, false, List.of());
    }

    /** A member as the leader sees it in the join response. */
    public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }
}
