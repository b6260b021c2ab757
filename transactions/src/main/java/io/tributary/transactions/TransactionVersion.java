package io.tributary.transactions;

/**
 * Kafka's {@code transaction.version} feature (KIP-890), as a client uses it for one transaction.
 *
 * <ul>
 *   <li>{@link #V1}: the client adds each partition with AddPartitionsToTxn (and offsets with
 *       AddOffsetsToTxn) before writing to it, the broker verifies each transactional Produce against the
 *       coordinator, and one producer epoch lasts the producer's session (EndTxn up to v4, Produce up to
 *       v11, TxnOffsetCommit up to v4).</li>
 *   <li>{@link #V2}: a transactional Produce (v12+) or TxnOffsetCommit (v5+) adds its partition or
 *       group itself, and every EndTxn (v5+) bumps the producer epoch (a new producer id when the epoch
 *       is exhausted) and answers the new id and epoch.</li>
 * </ul>
 */
public enum TransactionVersion {
    V1((short) 1),
    V2((short) 2);

    private final short level;

    TransactionVersion(short level) {
        this.level = level;
    }

    /** The feature level Kafka's ApiVersions and {@code __transaction_state} use. */
    public short level() {
        return level;
    }

    /** The version of feature level {@code level}: 2 and above are {@link #V2}, lower {@link #V1}. */
    public static TransactionVersion ofLevel(int level) {
        return level >= 2 ? V2 : V1;
    }
}
