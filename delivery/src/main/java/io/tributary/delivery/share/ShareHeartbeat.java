package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;

import java.util.List;
import java.util.Set;

/** A member's heartbeat to its share group, and the answer. */
public final class ShareHeartbeat {
    /** Member epoch that asks to join (with a member id the client chose). */
    public static final int JOIN_EPOCH = 0;
    /** Member epoch that leaves the group. */
    public static final int LEAVE_EPOCH = -1;

    private ShareHeartbeat() {
    }

    /**
     * @param groupId          the share group
     * @param memberId         chosen by the client (KIP-1082); never empty
     * @param memberEpoch      {@link #JOIN_EPOCH}, {@link #LEAVE_EPOCH} or the epoch last returned
     * @param subscribedTopics the full subscription, or null when unchanged since the last heartbeat
     * @param clientId         for describe
     * @param clientHost       for describe
     * @param definition       what every member of the group that gives one must agree on, or null for none: a
     *                         member joining with another definition than a current member's is refused
     *                         ({@link ShareError#INCONSISTENT_DEFINITION}), so the first to join defines the group
     *                         for as long as it has members (a JMS shared subscription's topic and selector)
     */
    public record Request(String groupId, String memberId, int memberEpoch, List<String> subscribedTopics,
                          String clientId, String clientHost, String definition) {
        /** A heartbeat without a definition. */
        public Request(String groupId, String memberId, int memberEpoch, List<String> subscribedTopics,
                       String clientId, String clientHost) {
            this(groupId, memberId, memberEpoch, subscribedTopics, clientId, clientHost, null);
        }
    }

    /**
     * @param error               why it failed, else {@link ShareError#NONE}
     * @param memberId            the member
     * @param memberEpoch         its new epoch ({@link #LEAVE_EPOCH} after leaving)
     * @param heartbeatIntervalMs when to come again
     * @param assignment          the partitions it may fetch from, or null after an error or leave
     */
    public record Result(ShareError error, String memberId, int memberEpoch, int heartbeatIntervalMs,
                         Set<TopicPartition> assignment) {
        static Result failed(ShareError error, String memberId) {
            return new Result(error, memberId, 0, 0, null);
        }
    }
}
