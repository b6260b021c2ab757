package io.tributary.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.StreamMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A sequence of typed values ({@link ValueCodec}, one after another in the record value), read back with the
 * same conversions as properties. Write-only until {@link #reset} (or receipt). A read that fails with a
 * conversion error does not move past the value, as the specification requires.
 */
public final class TributaryStreamMessage extends TributaryMessage implements StreamMessage {
    private final List<Object> values = new ArrayList<>();
    private int position;
    private int bytesOffset = -1;

    @Override
    public String bodyType() {
        return "stream";
    }

    @Override
    public byte[] encodeBody() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Object v : values) {
                ValueCodec.write(out, v);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void decodeBody(byte[] value) throws JMSException {
        values.clear();
        if (value == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            while (in.available() > 0) {
                values.add(ValueCodec.read(in));
            }
        } catch (IOException e) {
            throw (MessageFormatException) new MessageFormatException("malformed stream body: " + e).initCause(e);
        }
    }

    @Override
    public void reset() {
        setBodyReadOnly(true);
        position = 0;
        bytesOffset = -1;
    }

    @Override
    protected void onReadOnly() {
        position = 0;
        bytesOffset = -1;
    }

    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        values.clear();
        position = 0;
        bytesOffset = -1;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return false;
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("a StreamMessage body cannot be read with getBody");
    }

    private interface Conversion<T> {
        T convert(Object v) throws JMSException;
    }

    private <T> T next(Conversion<T> conversion) throws JMSException {
        if (!bodyReadOnly()) {
            throw new MessageNotReadableException("the StreamMessage is write-only until reset()");
        }
        if (bytesOffset >= 0) {
            throw new MessageFormatException("finish reading the byte[] value with readBytes first");
        }
        if (position >= values.size()) {
            throw new MessageEOFException("end of the StreamMessage body");
        }
        T result = conversion.convert(values.get(position));
        position++;
        return result;
    }

    private void add(Object v) throws JMSException {
        checkBodyWritable();
        values.add(v);
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return next(TypeConversions::toBoolean);
    }

    @Override
    public byte readByte() throws JMSException {
        return next(TypeConversions::toByte);
    }

    @Override
    public short readShort() throws JMSException {
        return next(TypeConversions::toShort);
    }

    @Override
    public char readChar() throws JMSException {
        return next(TypeConversions::toChar);
    }

    @Override
    public int readInt() throws JMSException {
        return next(TypeConversions::toInt);
    }

    @Override
    public long readLong() throws JMSException {
        return next(TypeConversions::toLong);
    }

    @Override
    public float readFloat() throws JMSException {
        return next(TypeConversions::toFloat);
    }

    @Override
    public double readDouble() throws JMSException {
        return next(TypeConversions::toDouble);
    }

    @Override
    public String readString() throws JMSException {
        return next(TypeConversions::toString);
    }

    @Override
    public Object readObject() throws JMSException {
        return next(v -> v instanceof byte[] b ? b.clone() : v);
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        if (!bodyReadOnly()) {
            throw new MessageNotReadableException("the StreamMessage is write-only until reset()");
        }
        if (position >= values.size()) {
            throw new MessageEOFException("end of the StreamMessage body");
        }
        Object v = values.get(position);
        if (v == null) {
            position++;
            return -1;
        }
        byte[] bytes = TypeConversions.toBytes(v);
        int offset = Math.max(bytesOffset, 0);
        int n = Math.min(value.length, bytes.length - offset);
        if (n <= 0 && bytesOffset >= 0) {
            position++;
            bytesOffset = -1;
            return -1;
        }
        System.arraycopy(bytes, offset, value, 0, n);
        bytesOffset = offset + n;
        if (n < value.length) {
            // the value fitted: the next call returns -1 and moves on
            bytesOffset = bytes.length;
        }
        return n;
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        add(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        add(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        add(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        add(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        add(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        add(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        add(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        add(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        add(value);
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value.clone());
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        add(copy);
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        if (!ValueCodec.allowed(value)) {
            throw new MessageFormatException("writeObject takes a boxed primitive, String or byte[], not a "
                    + value.getClass().getName());
        }
        add(value instanceof byte[] b ? b.clone() : value);
    }
}
