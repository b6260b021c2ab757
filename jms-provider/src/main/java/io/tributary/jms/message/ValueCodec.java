package io.tributary.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Typed values of MapMessage and StreamMessage bodies: one tag byte, then the value in
 * {@link DataOutputStream} form.
 * <pre>
 * 0 null | 1 boolean (1 byte) | 2 byte | 3 short | 4 char | 5 int | 6 long | 7 float | 8 double
 * 9 String (int length, UTF-8 bytes) | 10 byte[] (int length, bytes)
 * </pre>
 */
final class ValueCodec {
    private ValueCodec() {
    }

    static void write(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(0);
        } else if (v instanceof Boolean b) {
            out.writeByte(1);
            out.writeBoolean(b);
        } else if (v instanceof Byte b) {
            out.writeByte(2);
            out.writeByte(b);
        } else if (v instanceof Short s) {
            out.writeByte(3);
            out.writeShort(s);
        } else if (v instanceof Character c) {
            out.writeByte(4);
            out.writeChar(c);
        } else if (v instanceof Integer i) {
            out.writeByte(5);
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(6);
            out.writeLong(l);
        } else if (v instanceof Float f) {
            out.writeByte(7);
            out.writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte(8);
            out.writeDouble(d);
        } else if (v instanceof String s) {
            out.writeByte(9);
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (v instanceof byte[] bytes) {
            out.writeByte(10);
            out.writeInt(bytes.length);
            out.write(bytes);
        } else {
            throw new IllegalArgumentException("not a JMS body value: " + v.getClass().getName());
        }
    }

    static Object read(DataInputStream in) throws IOException, JMSException {
        int tag = in.readByte();
        switch (tag) {
            case 0: return null;
            case 1: return in.readBoolean();
            case 2: return in.readByte();
            case 3: return in.readShort();
            case 4: return in.readChar();
            case 5: return in.readInt();
            case 6: return in.readLong();
            case 7: return in.readFloat();
            case 8: return in.readDouble();
            case 9: {
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
            }
            case 10: {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return bytes;
            }
            default:
                throw new MessageFormatException("malformed body: unknown value tag " + tag);
        }
    }

    /** Whether {@code v} may be stored in a MapMessage or StreamMessage. */
    static boolean allowed(Object v) {
        return v == null || v instanceof Boolean || v instanceof Byte || v instanceof Short || v instanceof Character
                || v instanceof Integer || v instanceof Long || v instanceof Float || v instanceof Double
                || v instanceof String || v instanceof byte[];
    }
}
