package io.tributary.delivery.group;

import java.util.List;

/**
 * A classic member (re)joining.
 *
 * @param memberId             empty on a first join
 * @param groupInstanceId      set for a static member, else null
 * @param protocols            in order of the member's preference
 * @param requireKnownMemberId true for clients that understand MEMBER_ID_REQUIRED (Kafka JoinGroup v4+)
 */
public record JoinGroupRequest(String groupId, String memberId, String groupInstanceId, String protocolType,
                               List<ClassicProtocol> protocols, int sessionTimeoutMs, int rebalanceTimeoutMs,
                               String clientId, String clientHost, boolean requireKnownMemberId) {
}
