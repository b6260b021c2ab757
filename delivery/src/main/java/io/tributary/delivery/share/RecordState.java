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
    ARCHIVED,
    /**
     * On its way to the group's dead-letter topic (KIP-1191): rejected or past the delivery-count limit in a
     * group with {@code errors.deadletterqueue.topic.name}. Never delivered again; becomes ARCHIVED once its
     * dead letter is written.
     */
    ARCHIVING
}
