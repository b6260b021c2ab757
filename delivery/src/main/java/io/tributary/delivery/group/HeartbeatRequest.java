package io.tributary.delivery.group;

/** A classic member's liveness signal for a generation. */
public record HeartbeatRequest(String groupId, String memberId, String groupInstanceId, int generationId) {
}
