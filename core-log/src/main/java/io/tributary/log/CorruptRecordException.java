package io.tributary.log;

/**
 * A read touched a range of a segment file found damaged (by the scrubber or by the read path's
 * header checks): answered to Kafka clients with CORRUPT_MESSAGE, never skipped silently. See
 * docs/decisions/0018.
 */
public final class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long firstOffset;

    public CorruptRecordException(String message, long firstOffset) {
        super(message);
        this.firstOffset = firstOffset;
    }

    /** The first offset that cannot be served. */
    public long firstOffset() {
        return firstOffset;
    }
}
