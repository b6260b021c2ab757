package io.tributary.transactions.client;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message to send in a half transaction: topic, body, optional keys (the Kafka record key, so records of
 * one key go to one partition) and user properties (record headers of the same name, UTF-8 values).
 *
 * <p>{@link #text} makes a message a JMS consumer receives as a {@code TextMessage} with the properties as
 * String properties (docs/jms-mapping.md): the body in UTF-8 and the header {@code jms.body=text}.
 */
public final class Message {
    /** The record header naming the JMS body type (docs/jms-mapping.md). */
    public static final String JMS_BODY_HEADER = "jms.body";

    private final String topic;
    private final byte[] body;
    private String keys;
    private int partition = -1;
    private final Map<String, String> properties = new LinkedHashMap<>();

    public Message(String topic, byte[] body) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.body = body;
    }

    /** A text message, received by JMS consumers as a {@code TextMessage}. */
    public static Message text(String topic, String text) {
        Message message = new Message(topic, text.getBytes(StandardCharsets.UTF_8));
        message.putUserProperty(JMS_BODY_HEADER, "text");
        return message;
    }

    public String getTopic() {
        return topic;
    }

    public byte[] getBody() {
        return body;
    }

    /** The record key, or null. */
    public String getKeys() {
        return keys;
    }

    public Message setKeys(String keys) {
        this.keys = keys;
        return this;
    }

    /** The target partition, or -1 for the broker's choice (by key as Kafka's producer, else round robin). */
    public int getPartition() {
        return partition;
    }

    public Message setPartition(int partition) {
        this.partition = partition;
        return this;
    }

    public Message putUserProperty(String name, String value) {
        properties.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    public String getUserProperty(String name) {
        return properties.get(name);
    }

    /** The user properties in the order they were put. */
    public Map<String, String> getProperties() {
        return Collections.unmodifiableMap(properties);
    }
}
