package io.tributary.delivery.share;

/** Why a share-group call failed; adapters map each to their protocol's error code. */
public enum ShareError {
    NONE,
    /** The records are not acquired by this member (never were, lock expired, or already acknowledged). */
    INVALID_RECORD_STATE,
    /** The member is not (or no longer) in the group. */
    UNKNOWN_MEMBER_ID,
    /** The member's epoch is not the one the group gave it. */
    FENCED_MEMBER_EPOCH,
    /** The group has reached {@code group.share.max.size} members. */
    GROUP_MAX_SIZE_REACHED,
    /** The group id is empty or the request is malformed. */
    INVALID_REQUEST,
    /** No share group has this id. */
    GROUP_ID_NOT_FOUND,
    /** The operation needs a share group without members. */
    NON_EMPTY_GROUP,
    /** The group id is taken by a consumer group. */
    INCONSISTENT_GROUP_PROTOCOL,
    /** A joining member's definition differs from a current member's ({@link ShareHeartbeat.Request#definition}). */
    INCONSISTENT_DEFINITION
}
