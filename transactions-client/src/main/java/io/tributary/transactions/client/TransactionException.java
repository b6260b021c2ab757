package io.tributary.transactions.client;

/**
 * A half-transaction request the broker refused, or could not be made. {@link #errorCode()} is the Kafka error
 * code the broker answered (docs/protocol.md), or {@link #NO_ANSWER} when no answer came.
 */
public class TransactionException extends RuntimeException {
    public static final short NO_ANSWER = Short.MIN_VALUE;
    /** Kafka's INVALID_TXN_STATE: a commit after a rollback, or the reverse. */
    public static final short ALREADY_DECIDED = 48;
    /** Kafka's TRANSACTIONAL_ID_NOT_FOUND: the broker does not know the transaction. */
    public static final short UNKNOWN_TRANSACTION = 105;

    private final short errorCode;

    TransactionException(short errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    TransactionException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = NO_ANSWER;
    }

    public short errorCode() {
        return errorCode;
    }
}
