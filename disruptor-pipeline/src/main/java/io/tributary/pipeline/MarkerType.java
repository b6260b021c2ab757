package io.tributary.pipeline;

/**
 * The outcome a transaction marker writes into a partition: Kafka's control record types, whose
 * codes are stored in the control record's key.
 */
public enum MarkerType {
    ABORT((short) 0),
    COMMIT((short) 1);

    private final short code;

    MarkerType(short code) {
        this.code = code;
    }

    /** The control record type stored in the marker's key. */
    public short code() {
        return code;
    }
}
