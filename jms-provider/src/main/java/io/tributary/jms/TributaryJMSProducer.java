package io.tributary.jms;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@link JMSProducer}: settings and properties applied to each message it sends, over one MessageProducer. */
final class TributaryJMSProducer implements JMSProducer {
    private final TributaryJMSContext context;
    private final TributaryMessageProducer producer;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive;
    private String correlationId;
    private byte[] correlationIdBytes;
    private String type;
    private Destination replyTo;
    private CompletionListener completionListener;

    TributaryJMSProducer(TributaryJMSContext context, TributaryMessageProducer producer) {
        this.context = context;
        this.producer = producer;
    }

    @Override
    public JMSProducer send(Destination destination, Message message) {
        if (message == null) {
            throw new MessageFormatRuntimeException("message is null");
        }
        try {
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                message.setObjectProperty(p.getKey(), p.getValue());
            }
            if (correlationIdBytes != null) {
                message.setJMSCorrelationIDAsBytes(correlationIdBytes);
            } else if (correlationId != null) {
                message.setJMSCorrelationID(correlationId);
            }
            if (type != null) {
                message.setJMSType(type);
            }
            if (replyTo != null) {
                message.setJMSReplyTo(replyTo);
            }
            if (completionListener != null) {
                producer.send(destination, message, deliveryMode, priority, timeToLive, completionListener);
            } else {
                producer.send(destination, message, deliveryMode, priority, timeToLive);
            }
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
        return this;
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        return send(destination, context.createTextMessage(body));
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        var m = context.createMapMessage();
        try {
            if (body != null) {
                for (Map.Entry<String, Object> e : body.entrySet()) {
                    m.setObject(e.getKey(), e.getValue());
                }
            }
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        var m = context.createBytesMessage();
        try {
            if (body != null) {
                m.writeBytes(body);
            }
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        return send(destination, context.createObjectMessage(body));
    }

    @Override
    public JMSProducer setDisableMessageID(boolean value) {
        try {
            producer.setDisableMessageID(value);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
        return this;
    }

    @Override
    public boolean getDisableMessageID() {
        try {
            return producer.getDisableMessageID();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public JMSProducer setDisableMessageTimestamp(boolean value) {
        try {
            producer.setDisableMessageTimestamp(value);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
        return this;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        try {
            return producer.getDisableMessageTimestamp();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public JMSProducer setDeliveryMode(int deliveryMode) {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSRuntimeException("invalid delivery mode " + deliveryMode);
        }
        this.deliveryMode = deliveryMode;
        return this;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public JMSProducer setPriority(int priority) {
        if (priority < 0 || priority > 9) {
            throw new JMSRuntimeException("invalid priority " + priority + ": 0 to 9");
        }
        this.priority = priority;
        return this;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public JMSProducer setTimeToLive(long timeToLive) {
        this.timeToLive = timeToLive;
        return this;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public JMSProducer setDeliveryDelay(long deliveryDelay) {
        try {
            producer.setDeliveryDelay(deliveryDelay);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
        return this;
    }

    @Override
    public long getDeliveryDelay() {
        try {
            return producer.getDeliveryDelay();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public JMSProducer setAsync(CompletionListener completionListener) {
        this.completionListener = completionListener;
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return completionListener;
    }

    private JMSProducer property(String name, Object value) {
        try {
            // validates the name and type the same way a message does
            new io.tributary.jms.message.TributaryMessage().setObjectProperty(name, value);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
        properties.put(name, value);
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, Object value) {
        return property(name, value);
    }

    @Override
    public JMSProducer clearProperties() {
        properties.clear();
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.containsKey(name);
    }

    private <T> T read(String name, Conversion<T> conversion) {
        try {
            return conversion.convert(properties.get(name));
        } catch (jakarta.jms.MessageFormatException e) {
            throw new MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    private interface Conversion<T> {
        T convert(Object v) throws JMSException;
    }

    @Override
    public boolean getBooleanProperty(String name) {
        return read(name, io.tributary.jms.message.TypeConversions::toBoolean);
    }

    @Override
    public byte getByteProperty(String name) {
        return read(name, io.tributary.jms.message.TypeConversions::toByte);
    }

    @Override
    public short getShortProperty(String name) {
        return read(name, io.tributary.jms.message.TypeConversions::toShort);
    }

    @Override
    public int getIntProperty(String name) {
        return read(name, io.tributary.jms.message.TypeConversions::toInt);
    }

    @Override
    public long getLongProperty(String name) {
        return read(name, io.tributary.jms.message.TypeConversions::toLong);
    }

    @Override
    public float getFloatProperty(String name) {
        return read(name, io.tributary.jms.message.TypeConversions::toFloat);
    }

    @Override
    public double getDoubleProperty(String name) {
        return read(name, io.tributary.jms.message.TypeConversions::toDouble);
    }

    @Override
    public String getStringProperty(String name) {
        return read(name, io.tributary.jms.message.TypeConversions::toString);
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Collections.unmodifiableSet(properties.keySet());
    }

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
        this.correlationIdBytes = correlationID == null ? null : correlationID.clone();
        this.correlationId = null;
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationIdBytes == null ? null : correlationIdBytes.clone();
    }

    @Override
    public JMSProducer setJMSCorrelationID(String correlationID) {
        this.correlationId = correlationID;
        this.correlationIdBytes = null;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationId;
    }

    @Override
    public JMSProducer setJMSType(String type) {
        this.type = type;
        return this;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }
}
