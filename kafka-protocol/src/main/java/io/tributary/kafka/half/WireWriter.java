package io.tributary.kafka.half;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes Kafka's flexible-version primitive types, for the Tributary extension bodies (see {@link WireReader}). */
final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    WireWriter writeByte(int b) {
        out.write(b);
        return this;
    }

    WireWriter writeShort(short v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    WireWriter writeInt(int v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(v >>> shift);
        }
        return this;
    }

    WireWriter writeLong(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    WireWriter writeUnsignedVarint(int v) {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
        return this;
    }

    WireWriter writeNullableString(String s) {
        return writeNullableBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    WireWriter writeNullableBytes(byte[] bytes) {
        if (bytes == null) {
            return writeUnsignedVarint(0);
        }
        writeUnsignedVarint(bytes.length + 1);
        out.write(bytes, 0, bytes.length);
        return this;
    }

    WireWriter writeArrayLength(int n) {
        return writeUnsignedVarint(n + 1);
    }

    /** An empty TAG_BUFFER. */
    WireWriter writeNoTaggedFields() {
        return writeUnsignedVarint(0);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
