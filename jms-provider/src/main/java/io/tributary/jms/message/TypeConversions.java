package io.tributary.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The conversions Jakarta Messaging allows between a stored property (or map/stream entry) value and a read type
 * (section 3.5.4): a value is read as a wider type of its kind or as a String, and a String as any primitive by
 * {@code valueOf}. Anything else is a {@link MessageFormatException}; a null read as a number is a
 * {@link NumberFormatException}, as {@code valueOf(null)} would be.
 */
public final class TypeConversions {
    private TypeConversions() {
    }

    public static boolean toBoolean(Object v) throws MessageFormatException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Boolean.parseBoolean((String) v);
        }
        throw cannot(v, "boolean");
    }

    public static byte toByte(Object v) throws MessageFormatException {
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.parseByte((String) v);
        }
        throw cannot(v, "byte");
    }

    public static short toShort(Object v) throws MessageFormatException {
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).shortValue();
        }
        if (v == null || v instanceof String) {
            return Short.parseShort((String) v);
        }
        throw cannot(v, "short");
    }

    public static int toInt(Object v) throws MessageFormatException {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v == null || v instanceof String) {
            return Integer.parseInt((String) v);
        }
        throw cannot(v, "int");
    }

    public static long toLong(Object v) throws MessageFormatException {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v == null || v instanceof String) {
            return Long.parseLong((String) v);
        }
        throw cannot(v, "long");
    }

    public static float toFloat(Object v) throws MessageFormatException {
        if (v instanceof Float f) {
            return f;
        }
        if (v == null) {
            throw new NullPointerException("no value to read as float");
        }
        if (v instanceof String s) {
            return Float.parseFloat(s);
        }
        throw cannot(v, "float");
    }

    public static double toDouble(Object v) throws MessageFormatException {
        if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        if (v == null) {
            throw new NullPointerException("no value to read as double");
        }
        if (v instanceof String s) {
            return Double.parseDouble(s);
        }
        throw cannot(v, "double");
    }

    public static char toChar(Object v) throws MessageFormatException {
        if (v instanceof Character c) {
            return c;
        }
        if (v == null) {
            throw new NullPointerException("no value to read as char");
        }
        throw cannot(v, "char");
    }

    public static String toString(Object v) throws MessageFormatException {
        if (v instanceof byte[]) {
            throw cannot(v, "String");
        }
        return v == null ? null : v.toString();
    }

    public static byte[] toBytes(Object v) throws MessageFormatException {
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw cannot(v, "byte[]");
    }

    static MessageFormatException cannot(Object v, String type) {
        return new MessageFormatException("a " + v.getClass().getSimpleName() + " value cannot be read as " + type);
    }
}
