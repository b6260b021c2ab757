package io.tributary.transactions;

/** A refused half-transaction request; {@link #error()} says why. */
public final class HalfTransactionException extends RuntimeException {
    private final HalfError error;

    public HalfTransactionException(HalfError error, String message) {
        super(message);
        this.error = error;
    }

    public HalfError error() {
        return error;
    }
}
