package io.tributary.jms.selector;

/**
 * The values a selector's identifiers stand for in one message: its properties and the header fields a selector
 * may name ({@code JMSDeliveryMode} as the string {@code "PERSISTENT"} or {@code "NON_PERSISTENT"},
 * {@code JMSPriority}, {@code JMSMessageID}, {@code JMSTimestamp}, {@code JMSCorrelationID}, {@code JMSType}).
 */
@FunctionalInterface
public interface Identifiers {
    /**
     * The value of {@code name}: a {@link String}, {@link Boolean}, or a {@link Byte}, {@link Short},
     * {@link Integer}, {@link Long}, {@link Float} or {@link Double}; {@code null} when the message has none.
     * Any other type is treated as no value.
     */
    Object value(String name);
}
