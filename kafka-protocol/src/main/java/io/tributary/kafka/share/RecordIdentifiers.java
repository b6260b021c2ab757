package io.tributary.kafka.share;

import io.tributary.jms.selector.Identifiers;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.Record;

import java.nio.charset.StandardCharsets;

/**
 * What a JMS message selector's identifiers stand for in one record, as the JMS provider decodes it
 * (docs/jms-mapping.md), so that the broker selects exactly what a JMS consumer of the record would:
 *
 * <table>
 *   <caption>Identifiers</caption>
 *   <tr><th>identifier</th><th>from</th></tr>
 *   <tr><td>{@code JMSDeliveryMode}</td><td>header {@code jms.delivery.mode}; {@code "PERSISTENT"} unless it says
 *       {@code NON_PERSISTENT}</td></tr>
 *   <tr><td>{@code JMSPriority}</td><td>header {@code jms.priority} (decimal), else 4</td></tr>
 *   <tr><td>{@code JMSMessageID}</td><td>header {@code jms.message.id} (null when its value is: IDs disabled),
 *       else {@code ID:<topic>-<partition>-<offset>}</td></tr>
 *   <tr><td>{@code JMSTimestamp}</td><td>header {@code jms.timestamp} ({@code 0}: timestamps disabled), else the
 *       record timestamp</td></tr>
 *   <tr><td>{@code JMSCorrelationID}</td><td>header {@code jms.correlation.id.bytes}, else
 *       {@code jms.correlation.id} (UTF-8)</td></tr>
 *   <tr><td>{@code JMSType}</td><td>header {@code jms.type}</td></tr>
 *   <tr><td>a property</td><td>the last header of that name (a Java identifier not starting with {@code jms.}),
 *       its UTF-8 text typed by the header {@code jms.property.types}; String when not listed</td></tr>
 * </table>
 *
 * <p>{@code JMSXDeliveryCount} is not stored in the record: it is the delivery count the record would be acquired
 * with, set by {@link #deliveryCount} (an {@code int}), and absent until then. One instance is reused for every
 * record of a scan ({@link #of}).
 */
final class RecordIdentifiers implements Identifiers {
    private static final String DELIVERY_MODE = "jms.delivery.mode";
    private static final String PRIORITY = "jms.priority";
    private static final String MESSAGE_ID = "jms.message.id";
    private static final String TIMESTAMP = "jms.timestamp";
    private static final String CORRELATION_ID = "jms.correlation.id";
    private static final String CORRELATION_ID_BYTES = "jms.correlation.id.bytes";
    private static final String TYPE = "jms.type";
    private static final String PROPERTY_TYPES = "jms.property.types";
    private static final String DELIVERY_COUNT = "JMSXDeliveryCount";
    private static final int DEFAULT_PRIORITY = 4;

    private final String topic;
    private final int partition;
    private Record record;
    private Header[] headers;
    private int deliveryCount;

    RecordIdentifiers(String topic, int partition) {
        this.topic = topic;
        this.partition = partition;
    }

    /** These identifiers, now for {@code record}. */
    RecordIdentifiers of(Record record) {
        this.record = record;
        this.headers = record.headers();
        this.deliveryCount = 0;
        return this;
    }

    /** {@code JMSXDeliveryCount} is now {@code count} (1 for a first delivery). */
    RecordIdentifiers deliveryCount(int count) {
        this.deliveryCount = count;
        return this;
    }

    @Override
    public Object value(String name) {
        return switch (name) {
            case "JMSDeliveryMode" -> "NON_PERSISTENT".equals(text(DELIVERY_MODE)) ? "NON_PERSISTENT" : "PERSISTENT";
            case "JMSPriority" -> (int) number(text(PRIORITY), DEFAULT_PRIORITY);
            case "JMSMessageID" -> {
                Header id = last(MESSAGE_ID);
                yield id != null ? text(id) : "ID:" + topic + "-" + partition + "-" + record.offset();
            }
            case "JMSTimestamp" -> number(text(TIMESTAMP), record.timestamp());
            case "JMSCorrelationID" -> {
                Header bytes = last(CORRELATION_ID_BYTES);
                yield bytes != null ? text(bytes) : text(CORRELATION_ID);
            }
            case "JMSType" -> text(TYPE);
            default -> property(name);
        };
    }

    private Object property(String name) {
        if (name.equals(DELIVERY_COUNT)) {
            return deliveryCount > 0 ? deliveryCount : null;
        }
        if (name.startsWith("jms.")) {
            return null;
        }
        Header header = last(name);
        if (header == null || header.value() == null) {
            return null;
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        String type = type(name);
        if (type == null) {
            return value;
        }
        try {
            return switch (type) {
                case "boolean" -> Boolean.valueOf(value);
                case "byte" -> Byte.valueOf(value);
                case "short" -> Short.valueOf(value);
                case "integer" -> Integer.valueOf(value);
                case "long" -> Long.valueOf(value);
                case "float" -> Float.valueOf(value);
                case "double" -> Double.valueOf(value);
                default -> value;
            };
        } catch (NumberFormatException e) {
            return value;
        }
    }

    /** The type {@code jms.property.types} lists for {@code name} ({@code name:type} pairs, comma-separated). */
    private String type(String name) {
        String list = text(PROPERTY_TYPES);
        if (list == null) {
            return null;
        }
        String type = null;
        for (String entry : list.split(",")) {
            int colon = entry.indexOf(':');
            if (colon == name.length() && entry.startsWith(name)) {
                type = entry.substring(colon + 1);
            }
        }
        return type;
    }

    private Header last(String key) {
        for (int i = headers.length - 1; i >= 0; i--) {
            if (headers[i].key().equals(key)) {
                return headers[i];
            }
        }
        return null;
    }

    private String text(String key) {
        return text(last(key));
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long number(String text, long absent) {
        if (text == null) {
            return absent;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return absent;
        }
    }
}
