package io.tributary.delivery.group;

import java.util.List;

/**
 * Answer to a leave.
 *
 * @param error        a group-level error, else NONE
 * @param memberErrors one per leaving member, in request order
 */
public record LeaveGroupResult(GroupError error, List<GroupError> memberErrors) {
    /** A classic member leaving: by member id, by instance id, or both. */
    public record LeavingMember(String memberId, String groupInstanceId) {
    }
}
