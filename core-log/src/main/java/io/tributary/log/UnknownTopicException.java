package io.tributary.log;

/** An operation named a topic the log does not have. */
public final class UnknownTopicException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String topic) {
        super("Topic '" + topic + "' does not exist");
    }
}
