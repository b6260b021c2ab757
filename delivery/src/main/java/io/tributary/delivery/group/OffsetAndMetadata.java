package io.tributary.delivery.group;

/**
 * A committed position.
 *
 * @param offset            next offset the group will consume
 * @param leaderEpoch       leader epoch of the last consumed record, -1 if unknown
 * @param metadata          free text the client attached, never null
 * @param commitTimestampMs when the coordinator accepted the commit
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
    public OffsetAndMetadata {
        if (metadata == null) {
            metadata = "";
        }
    }
}
