package io.tributary.delivery.share;

/** The delivery state of one record in a share partition's in-flight window. */
public enum RecordState {
    /** May be acquired by any member. */
    AVAILABLE,
    /** Locked by one member until it acknowledges or its lock expires. */
    ACQUIRED,
    /** Accepted by a member: never delivered again. */
    ACKNOWLEDGED,
    /** Rejected, past the delivery-count limit, or a gap in the log: never delivered again. */
    ARCHIVED
}
