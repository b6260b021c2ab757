package io.tributary.kafka.network;

/**
 * A request the adapter will not serve: unknown API key, unsupported version, or a header or body
 * that does not decode. The connection that sent it is closed, as Kafka does.
 */
public final class RequestRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RequestRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
