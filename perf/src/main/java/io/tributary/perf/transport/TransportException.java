package io.tributary.perf.transport;

/** A transport could not do what was asked (broker refused, timed out, unreachable). */
public final class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An error with its cause. */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
