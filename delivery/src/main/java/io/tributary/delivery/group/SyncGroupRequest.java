package io.tributary.delivery.group;

import java.util.Map;

/**
 * A classic member asking for its assignment; the leader supplies everyone's.
 *
 * @param protocolType null when the client did not send it (Kafka SyncGroup before v5)
 * @param protocolName null when the client did not send it
 * @param assignments  member id to opaque assignment; empty for followers
 */
public record SyncGroupRequest(String groupId, String memberId, String groupInstanceId, int generationId,
                               String protocolType, String protocolName, Map<String, byte[]> assignments) {
}
