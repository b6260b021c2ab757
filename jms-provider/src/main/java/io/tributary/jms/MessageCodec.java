package io.tributary.jms;

import io.tributary.jms.message.TributaryBytesMessage;
import io.tributary.jms.message.TributaryMapMessage;
import io.tributary.jms.message.TributaryMessage;
import io.tributary.jms.message.TributaryObjectMessage;
import io.tributary.jms.message.TributaryStreamMessage;
import io.tributary.jms.message.TributaryTextMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * JMS message to Kafka record and back; the mapping is written in {@code docs/jms-mapping.md}. Headers the
 * provider sets start with {@code jms.}; every message property is a header of its own name whose value is the
 * property's text form (UTF-8), its type (when not String) listed in {@code jms.property.types}.
 */
final class MessageCodec {
    static final String BODY = "jms.body";
    static final String MESSAGE_ID = "jms.message.id";
    /** Present ({@code 0}) when the producer disabled timestamps: the record keeps its send time for retention. */
    static final String TIMESTAMP = "jms.timestamp";
    static final String CORRELATION_ID = "jms.correlation.id";
    static final String CORRELATION_ID_BYTES = "jms.correlation.id.bytes";
    static final String REPLY_TO = "jms.reply.to";
    static final String TYPE = "jms.type";
    static final String DELIVERY_MODE = "jms.delivery.mode";
    static final String PRIORITY = "jms.priority";
    static final String EXPIRATION = "jms.expiration";
    static final String DELIVERY_TIME = "jms.delivery.time";
    static final String PROPERTY_TYPES = "jms.property.types";
    static final String DELIVERY_COUNT = "JMSXDeliveryCount";
    /** Read by the broker's delivery engine (queues, shared subscriptions): decimal ASCII, epoch milliseconds. */
    static final String DELIVER_AT = "tributary.deliver.at";
    /** Read by the broker's delivery engine: decimal ASCII, epoch milliseconds; archived, not delivered, after. */
    static final String EXPIRE_AT = "tributary.expire.at";
    /** Read by the broker's delivery engine: decimal ASCII 0–9, higher first within the in-flight window. */
    static final String BROKER_PRIORITY = "tributary.priority";

    private MessageCodec() {
    }

    /** The headers of the record for {@code message}, whose send-time headers are already set. */
    static RecordHeaders headers(Message message) throws JMSException {
        RecordHeaders headers = new RecordHeaders();
        TributaryMessage m = (TributaryMessage) message;
        add(headers, BODY, m.bodyType());
        // a null value: the producer disabled message IDs, and the consumer gets none (not the offset's ID)
        headers.add(MESSAGE_ID, m.getJMSMessageID() == null ? null
                : m.getJMSMessageID().getBytes(StandardCharsets.UTF_8));
        if (m.getJMSTimestamp() == 0) {
            add(headers, TIMESTAMP, "0");
        }
        if (m.correlationIdBytesIfSet() != null) {
            headers.add(CORRELATION_ID_BYTES, m.correlationIdBytesIfSet());
        } else {
            add(headers, CORRELATION_ID, m.getJMSCorrelationID());
        }
        if (m.getJMSReplyTo() != null) {
            add(headers, REPLY_TO, ((TributaryDestination) m.getJMSReplyTo()).address());
        }
        add(headers, TYPE, m.getJMSType());
        add(headers, DELIVERY_MODE, m.getJMSDeliveryMode() == DeliveryMode.NON_PERSISTENT ? "NON_PERSISTENT" : "PERSISTENT");
        add(headers, PRIORITY, Integer.toString(m.getJMSPriority()));
        if (m.getJMSExpiration() != 0) {
            add(headers, EXPIRATION, Long.toString(m.getJMSExpiration()));
        }
        if (m.getJMSDeliveryTime() != 0) {
            add(headers, DELIVERY_TIME, Long.toString(m.getJMSDeliveryTime()));
        }
        StringBuilder types = new StringBuilder();
        for (Map.Entry<String, Object> p : m.properties().entrySet()) {
            Object v = p.getValue();
            headers.add(p.getKey(), v == null ? null : v.toString().getBytes(StandardCharsets.UTF_8));
            if (v != null && !(v instanceof String)) {
                types.append(types.length() == 0 ? "" : ",").append(p.getKey()).append(':')
                        .append(v.getClass().getSimpleName().toLowerCase(Locale.ROOT));
            }
        }
        if (types.length() > 0) {
            add(headers, PROPERTY_TYPES, types.toString());
        }
        return headers;
    }

    /**
     * The headers the broker's delivery engine honours: {@code tributary.deliver.at} when {@code delayed},
     * {@code tributary.expire.at} when the message expires, {@code tributary.priority} when it is not the default 4.
     */
    static void addDeliveryHeaders(RecordHeaders headers, Message m, boolean delayed) throws JMSException {
        if (delayed) {
            add(headers, DELIVER_AT, Long.toString(m.getJMSDeliveryTime()));
        }
        if (m.getJMSExpiration() != 0) {
            add(headers, EXPIRE_AT, Long.toString(m.getJMSExpiration()));
        }
        if (m.getJMSPriority() != Message.DEFAULT_PRIORITY) {
            add(headers, BROKER_PRIORITY, Integer.toString(m.getJMSPriority()));
        }
    }

    /** The time before which the record must not be delivered ({@code tributary.deliver.at}); 0 for none. */
    static long deliverAt(ConsumerRecord<byte[], byte[]> record) {
        return number(record.headers().lastHeader(DELIVER_AT), 0);
    }

    /** The message a record stands for; a record without {@code jms.body} (a Kafka producer's) as Text or Bytes. */
    static TributaryMessage message(ConsumerRecord<byte[], byte[]> record, Destination destination) throws JMSException {
        String body = text(record.headers().lastHeader(BODY));
        if (body == null) {
            String contentType = text(record.headers().lastHeader("content-type"));
            body = contentType != null && (contentType.startsWith("text/") || contentType.startsWith("application/json"))
                    ? "text" : "bytes";
        }
        TributaryMessage m = switch (body) {
            case "text" -> new TributaryTextMessage();
            case "map" -> new TributaryMapMessage();
            case "stream" -> new TributaryStreamMessage();
            case "object" -> new TributaryObjectMessage();
            case "message" -> new TributaryMessage();
            default -> new TributaryBytesMessage();
        };
        m.decodeBody(record.value());
        m.setJMSDestination(destination);
        m.setJMSTimestamp(number(record.headers().lastHeader(TIMESTAMP), record.timestamp()));
        Header id = record.headers().lastHeader(MESSAGE_ID);
        m.setJMSMessageID(id != null ? text(id)
                : "ID:" + record.topic() + "-" + record.partition() + "-" + record.offset());
        Header correlationBytes = record.headers().lastHeader(CORRELATION_ID_BYTES);
        if (correlationBytes != null) {
            m.setJMSCorrelationIDAsBytes(correlationBytes.value());
        } else {
            m.setJMSCorrelationID(text(record.headers().lastHeader(CORRELATION_ID)));
        }
        m.setJMSReplyTo(TributaryDestination.parse(text(record.headers().lastHeader(REPLY_TO))));
        m.setJMSType(text(record.headers().lastHeader(TYPE)));
        m.setJMSDeliveryMode("NON_PERSISTENT".equals(text(record.headers().lastHeader(DELIVERY_MODE)))
                ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT);
        m.setJMSPriority((int) number(record.headers().lastHeader(PRIORITY), Message.DEFAULT_PRIORITY));
        m.setJMSExpiration(number(record.headers().lastHeader(EXPIRATION), 0));
        long deliverAt = deliverAt(record);
        m.setJMSDeliveryTime(number(record.headers().lastHeader(DELIVERY_TIME),
                deliverAt != 0 ? deliverAt : record.timestamp()));
        Map<String, String> types = types(text(record.headers().lastHeader(PROPERTY_TYPES)));
        for (Header h : record.headers()) {
            if (h.key().startsWith("jms.") || !isIdentifier(h.key()) || h.key().equals(DELIVERY_COUNT)) {
                continue;
            }
            String value = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            m.putReceivedProperty(h.key(), typed(value, types.get(h.key())));
        }
        return m;
    }

    private static Object typed(String value, String type) {
        if (value == null || type == null) {
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

    private static Map<String, String> types(String list) {
        Map<String, String> types = new HashMap<>();
        if (list != null) {
            for (String entry : list.split(",")) {
                int colon = entry.indexOf(':');
                if (colon > 0) {
                    types.put(entry.substring(0, colon), entry.substring(colon + 1));
                }
            }
        }
        return types;
    }

    private static boolean isIdentifier(String name) {
        return !name.isEmpty() && Character.isJavaIdentifierStart(name.charAt(0))
                && name.chars().skip(1).allMatch(Character::isJavaIdentifierPart);
    }

    private static long number(Header h, long absent) {
        String s = text(h);
        if (s == null) {
            return absent;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private static String text(Header h) {
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void add(RecordHeaders headers, String key, String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
