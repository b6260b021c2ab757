package io.tributary.log;

/** Thrown when creating a topic whose name is already taken. */
public final class TopicExistsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TopicExistsException(String topic) {
        super("Topic '" + topic + "' already exists.");
    }
}
