package io.tributary.perf.cli;

/** The command line is wrong; the message says how, and the usage text should follow. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A usage error with its explanation. */
    public UsageException(String message) {
        super(message);
    }
}
