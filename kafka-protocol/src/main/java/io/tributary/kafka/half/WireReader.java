package io.tributary.kafka.half;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads Kafka's flexible-version primitive types from a buffer, for the Tributary extension bodies.
 * Every malformation (short buffer, negative or oversized length, bad UTF-8 is replaced) throws
 * {@link MalformedBodyException}, so a bad body becomes an error response, not a dropped connection.
 */
final class WireReader {
    private final ByteBuffer buf;

    WireReader(ByteBuffer buf) {
        this.buf = buf;
    }

    byte readByte() {
        need(1);
        return buf.get();
    }

    int readInt() {
        need(4);
        return buf.getInt();
    }

    long readLong() {
        need(8);
        return buf.getLong();
    }

    /** Unsigned varint, as Kafka's {@code ByteUtils.readUnsignedVarint}. */
    int readUnsignedVarint() {
        int value = 0;
        for (int shift = 0; shift <= 28; shift += 7) {
            byte b = readByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedBodyException("varint longer than 5 bytes");
    }

    /** COMPACT_STRING: length + 1 as an unsigned varint, then UTF-8; null is refused. */
    String readString(String field) {
        String s = readNullableString();
        if (s == null) {
            throw new MalformedBodyException(field + " must not be null");
        }
        return s;
    }

    String readNullableString() {
        byte[] bytes = readNullableBytes();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** COMPACT_NULLABLE_BYTES: length + 1 as an unsigned varint (0 for null), then the bytes. */
    byte[] readNullableBytes() {
        int lengthPlusOne = readUnsignedVarint();
        if (lengthPlusOne == 0) {
            return null;
        }
        int length = lengthPlusOne - 1;
        need(length);
        byte[] bytes = new byte[length];
        buf.get(bytes);
        return bytes;
    }

    /** COMPACT_ARRAY length: n + 1 as an unsigned varint; null is refused. */
    int readArrayLength(String field) {
        int lengthPlusOne = readUnsignedVarint();
        if (lengthPlusOne == 0) {
            throw new MalformedBodyException(field + " must not be null");
        }
        int length = lengthPlusOne - 1;
        // Each element takes at least one byte: a longer count is a lie told to make us allocate.
        need(length);
        return length;
    }

    /** TAG_BUFFER: skips every tagged field (none is defined yet). */
    void skipTaggedFields() {
        int count = readUnsignedVarint();
        for (int i = 0; i < count; i++) {
            readUnsignedVarint();
            int size = readUnsignedVarint();
            need(size);
            buf.position(buf.position() + size);
        }
    }

    /** Trailing bytes after the body are refused, as a sign of a layout mismatch. */
    void end() {
        if (buf.hasRemaining()) {
            throw new MalformedBodyException(buf.remaining() + " bytes after the end of the body");
        }
    }

    private void need(int bytes) {
        if (bytes < 0 || buf.remaining() < bytes) {
            throw new MalformedBodyException("body ends early: " + bytes + " more bytes needed, "
                    + buf.remaining() + " left");
        }
    }
}
