package io.tributary.delivery.group;

/** Outcome of a coordinator call; each value maps onto the protocol error of the same name. */
public enum GroupError {
    NONE,
    /** Classic join v4+: the first join of a dynamic member; rejoin with the member id returned. */
    MEMBER_ID_REQUIRED,
    UNKNOWN_MEMBER_ID,
    ILLEGAL_GENERATION,
    REBALANCE_IN_PROGRESS,
    INCONSISTENT_GROUP_PROTOCOL,
    FENCED_INSTANCE_ID,
    GROUP_ID_NOT_FOUND,
    NON_EMPTY_GROUP,
    COORDINATOR_NOT_AVAILABLE,
    INVALID_SESSION_TIMEOUT,
    INVALID_GROUP_ID,
    GROUP_MAX_SIZE_REACHED,
    /** KIP-848: the member's epoch is not one the coordinator accepts; it must rejoin with epoch 0. */
    FENCED_MEMBER_EPOCH,
    /** Offset commit/fetch with an epoch other than the member's current one. */
    STALE_MEMBER_EPOCH,
    UNSUPPORTED_ASSIGNOR,
    /** KIP-848: a static member joins with an instance id another active member still holds. */
    UNRELEASED_INSTANCE_ID,
    INVALID_REQUEST,
    GROUP_SUBSCRIBED_TO_TOPIC,
    OFFSET_METADATA_TOO_LARGE,
    UNKNOWN_TOPIC_OR_PARTITION,
    /** A consumer-protocol member commits in a form that cannot carry its member epoch. */
    UNSUPPORTED_VERSION
}
