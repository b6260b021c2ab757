package io.tributary.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named typed values; the record value is an int count, then per entry its UTF name and a {@link ValueCodec} value. */
public final class TributaryMapMessage extends TributaryMessage implements MapMessage {
    private final Map<String, Object> map = new LinkedHashMap<>();

    @Override
    public String bodyType() {
        return "map";
    }

    @Override
    public byte[] encodeBody() throws JMSException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(map.size());
            for (Map.Entry<String, Object> e : map.entrySet()) {
                out.writeUTF(e.getKey());
                ValueCodec.write(out, e.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void decodeBody(byte[] value) throws JMSException {
        map.clear();
        if (value == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                map.put(in.readUTF(), ValueCodec.read(in));
            }
        } catch (IOException e) {
            throw (MessageFormatException) new MessageFormatException("malformed map body: " + e).initCause(e);
        }
    }

    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        map.clear();
    }

    @Override
    protected Object body() {
        return map.isEmpty() ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return map.isEmpty() || c.isAssignableFrom(Map.class);
    }

    private void put(String name, Object value) throws JMSException {
        checkBodyWritable();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a map entry name must not be null or empty");
        }
        map.put(name, value);
    }

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return TypeConversions.toBoolean(map.get(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return TypeConversions.toByte(map.get(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return TypeConversions.toShort(map.get(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return TypeConversions.toChar(map.get(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return TypeConversions.toInt(map.get(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return TypeConversions.toLong(map.get(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return TypeConversions.toFloat(map.get(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return TypeConversions.toDouble(map.get(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return TypeConversions.toString(map.get(name));
    }

    @Override
    public byte[] getBytes(String name) throws JMSException {
        byte[] bytes = TypeConversions.toBytes(map.get(name));
        return bytes == null ? null : bytes.clone();
    }

    @Override
    public Object getObject(String name) {
        Object v = map.get(name);
        return v instanceof byte[] b ? b.clone() : v;
    }

    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(map.keySet());
    }

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        put(name, copy);
    }

    @Override
    public void setObject(String name, Object value) throws JMSException {
        if (!ValueCodec.allowed(value)) {
            throw new MessageFormatException("a map value must be a boxed primitive, String or byte[], not a "
                    + value.getClass().getName());
        }
        put(name, value instanceof byte[] b ? b.clone() : value);
    }

    @Override
    public boolean itemExists(String name) {
        return map.containsKey(name);
    }
}
