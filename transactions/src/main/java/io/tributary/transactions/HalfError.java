package io.tributary.transactions;

/** Why a half-transaction request was refused. */
public enum HalfError {
    NONE,
    /** The target topic or partition does not exist. */
    UNKNOWN_TOPIC_OR_PARTITION,
    /** A half message with this producer group and transaction id was already sent. */
    DUPLICATE_TRANSACTION,
    /** No half message with this producer group and transaction id is known. */
    UNKNOWN_TRANSACTION,
    /** The transaction was already decided the other way (commit after rollback or the reverse). */
    ALREADY_DECIDED,
    /** The coordinator could not write its state or the target records. */
    STORAGE_ERROR
}
