package io.tributary.delivery.group;

/** A {@link GroupStore} write could not be made durable; the coordinator answers COORDINATOR_NOT_AVAILABLE. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }
}
