package io.tributary.delivery.share;

/** What a member says about records it acquired. */
public enum AcknowledgeType {
    /** Processed: the records become {@link RecordState#ACKNOWLEDGED}. */
    ACCEPT,
    /** Not processed: the records become available again (archived at the delivery-count limit). */
    RELEASE,
    /** Unprocessable: the records are {@link RecordState#ARCHIVED}. */
    REJECT,
    /** No record at these offsets (compacted away, a control record): archived. */
    GAP,
    /** Still working: the lock is extended by one lock duration, the state does not change. */
    RENEW
}
