package io.tributary.delivery.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A member of a classic group. Guarded by its group's monitor. */
final class ClassicMember {
    private static final byte[] EMPTY = new byte[0];

    final String memberId;
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<ClassicProtocol> protocols;
    byte[] assignment = EMPTY;
    long lastHeartbeatMs;
    /** Set while the member waits for the join phase to end. */
    CompletableFuture<JoinGroupResult> awaitingJoin;
    /** Set while the member waits for the leader's assignment. */
    CompletableFuture<SyncGroupResult> awaitingSync;

    ClassicMember(String memberId, JoinGroupRequest request, long nowMs) {
        this.memberId = memberId;
        this.groupInstanceId = request.groupInstanceId();
        update(request, nowMs);
    }

    /** Takes over another member's place (a static member rejoining under a new member id). */
    ClassicMember(String memberId, ClassicMember previous, JoinGroupRequest request, long nowMs) {
        this(memberId, request, nowMs);
        this.assignment = previous.assignment;
    }

    void update(JoinGroupRequest request, long nowMs) {
        clientId = request.clientId();
        clientHost = request.clientHost();
        sessionTimeoutMs = request.sessionTimeoutMs();
        rebalanceTimeoutMs = request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs();
        protocols = List.copyOf(request.protocols());
        lastHeartbeatMs = nowMs;
    }

    boolean supports(String protocolName) {
        return metadata(protocolName) != null;
    }

    /** This member's metadata for {@code protocolName}, or null if it does not support it. */
    byte[] metadata(String protocolName) {
        for (ClassicProtocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return protocol.metadata();
            }
        }
        return null;
    }

    /** Same protocols with the same metadata, in the same order. */
    boolean sameProtocols(List<ClassicProtocol> others) {
        if (others.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < others.size(); i++) {
            ClassicProtocol mine = protocols.get(i);
            ClassicProtocol theirs = others.get(i);
            if (!mine.name().equals(theirs.name()) || !java.util.Arrays.equals(mine.metadata(), theirs.metadata())) {
                return false;
            }
        }
        return true;
    }

    void completeJoin(JoinGroupResult result) {
        if (awaitingJoin != null) {
            CompletableFuture<JoinGroupResult> future = awaitingJoin;
            awaitingJoin = null;
            future.complete(result);
        }
    }

    void completeSync(SyncGroupResult result) {
        if (awaitingSync != null) {
            CompletableFuture<SyncGroupResult> future = awaitingSync;
            awaitingSync = null;
            future.complete(result);
        }
    }

    static byte[] emptyAssignment() {
        return EMPTY;
    }
}
