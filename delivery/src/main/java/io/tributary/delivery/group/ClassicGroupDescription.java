package io.tributary.delivery.group;

import java.util.List;

/** DescribeGroups view of a classic group; {@code error} is GROUP_ID_NOT_FOUND for an unknown group. */
public record ClassicGroupDescription(String groupId, GroupError error, GroupState state, String protocolType,
                                      String protocolName, List<Member> members) {

    /** A member with its metadata for the selected protocol and its current assignment. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         byte[] metadata, byte[] assignment) {
    }
}
