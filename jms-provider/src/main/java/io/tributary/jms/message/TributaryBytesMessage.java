package io.tributary.jms.message;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Uninterpreted bytes, the record value as it is. Write-only until {@link #reset} (or receipt), then read-only:
 * the {@link DataInputStream}/{@link DataOutputStream} encodings the specification names.
 */
public final class TributaryBytesMessage extends TributaryMessage implements BytesMessage {
    private ByteArrayOutputStream written = new ByteArrayOutputStream();
    private DataOutputStream out = new DataOutputStream(written);
    private byte[] content = new byte[0];
    private DataInputStream in;

    @Override
    public String bodyType() {
        return "bytes";
    }

    @Override
    public byte[] encodeBody() {
        return bodyReadOnly() ? content : written.toByteArray();
    }

    @Override
    public void decodeBody(byte[] value) {
        content = value == null ? new byte[0] : value;
    }

    @Override
    protected void onReadOnly() {
        if (in == null) {
            in = new DataInputStream(new ByteArrayInputStream(content));
        }
    }

    @Override
    public void reset() {
        if (!bodyReadOnly()) {
            content = written.toByteArray();
            setBodyReadOnly(true);
        }
        in = new DataInputStream(new ByteArrayInputStream(content));
    }

    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        written = new ByteArrayOutputStream();
        out = new DataOutputStream(written);
        content = new byte[0];
        in = null;
    }

    @Override
    protected Object body() {
        byte[] bytes = encodeBody();
        return bytes.length == 0 ? null : bytes.clone();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return encodeBody().length == 0 || c == byte[].class || c == Object.class;
    }

    @Override
    public long getBodyLength() throws JMSException {
        readable();
        return content.length;
    }

    private DataInputStream readable() throws MessageNotReadableException {
        if (!bodyReadOnly()) {
            throw new MessageNotReadableException("the BytesMessage is write-only until reset()");
        }
        return in;
    }

    private DataOutputStream writable() throws JMSException {
        checkBodyWritable();
        return out;
    }

    private interface Read<T> {
        T read(DataInputStream in) throws IOException;
    }

    private <T> T read(Read<T> read) throws JMSException {
        DataInputStream stream = readable();
        try {
            return read.read(stream);
        } catch (EOFException e) {
            throw (MessageEOFException) new MessageEOFException("end of the BytesMessage body").initCause(e);
        } catch (IOException e) {
            throw (MessageFormatException) new MessageFormatException(e.toString()).initCause(e);
        }
    }

    private interface Write {
        void write(DataOutputStream out) throws IOException;
    }

    private void write(Write write) throws JMSException {
        try {
            write.write(writable());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return read(DataInputStream::readBoolean);
    }

    @Override
    public byte readByte() throws JMSException {
        return read(DataInputStream::readByte);
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return read(DataInputStream::readUnsignedByte);
    }

    @Override
    public short readShort() throws JMSException {
        return read(DataInputStream::readShort);
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return read(DataInputStream::readUnsignedShort);
    }

    @Override
    public char readChar() throws JMSException {
        return read(DataInputStream::readChar);
    }

    @Override
    public int readInt() throws JMSException {
        return read(DataInputStream::readInt);
    }

    @Override
    public long readLong() throws JMSException {
        return read(DataInputStream::readLong);
    }

    @Override
    public float readFloat() throws JMSException {
        return read(DataInputStream::readFloat);
    }

    @Override
    public double readDouble() throws JMSException {
        return read(DataInputStream::readDouble);
    }

    @Override
    public String readUTF() throws JMSException {
        return read(s -> s.readUTF());
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " outside 0.." + value.length);
        }
        DataInputStream stream = readable();
        try {
            int n = stream.read(value, 0, length);
            return length == 0 ? 0 : n;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        write(o -> o.writeBoolean(value));
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        write(o -> o.writeByte(value));
    }

    @Override
    public void writeShort(short value) throws JMSException {
        write(o -> o.writeShort(value));
    }

    @Override
    public void writeChar(char value) throws JMSException {
        write(o -> o.writeChar(value));
    }

    @Override
    public void writeInt(int value) throws JMSException {
        write(o -> o.writeInt(value));
    }

    @Override
    public void writeLong(long value) throws JMSException {
        write(o -> o.writeLong(value));
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        write(o -> o.writeFloat(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        write(o -> o.writeDouble(value));
    }

    @Override
    public void writeUTF(String value) throws JMSException {
        write(o -> o.writeUTF(value));
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        write(o -> o.write(value));
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        write(o -> o.write(value, offset, length));
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        checkBodyWritable();
        if (value == null) {
            throw new NullPointerException("writeObject(null)");
        }
        if (value instanceof Boolean b) {
            writeBoolean(b);
        } else if (value instanceof Byte b) {
            writeByte(b);
        } else if (value instanceof Short s) {
            writeShort(s);
        } else if (value instanceof Character c) {
            writeChar(c);
        } else if (value instanceof Integer i) {
            writeInt(i);
        } else if (value instanceof Long l) {
            writeLong(l);
        } else if (value instanceof Float f) {
            writeFloat(f);
        } else if (value instanceof Double d) {
            writeDouble(d);
        } else if (value instanceof String s) {
            writeUTF(s);
        } else if (value instanceof byte[] b) {
            writeBytes(b);
        } else {
            throw new MessageFormatException("writeObject takes a boxed primitive, String or byte[], not a "
                    + value.getClass().getName());
        }
    }
}
