package io.tributary.delivery.internal.records;

import java.nio.ByteBuffer;

/**
 * Zig-zag variable-length integers as used inside v2 records (protobuf style): seven bits per byte,
 * least significant group first, high bit set on every byte but the last.
 */
final class Varints {
    private Varints() {
    }

    static int sizeOfVarint(int value) {
        return sizeOfVarlong(value);
    }

    static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & 0xFFFF_FFFF_FFFF_FF80L) != 0L) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    static void putVarint(ByteBuffer buffer, int value) {
        putVarlong(buffer, value);
    }

    static void putVarlong(ByteBuffer buffer, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xFFFF_FFFF_FFFF_FF80L) != 0L) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    static int getVarint(ByteBuffer buffer) {
        long value = getVarlong(buffer);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new CorruptRecordException("varint out of int range: " + value);
        }
        return (int) value;
    }

    static long getVarlong(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        while (true) {
            if (shift > 63) {
                throw new CorruptRecordException("varlong longer than 10 bytes");
            }
            byte b = buffer.get();
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        return (raw >>> 1) ^ -(raw & 1);
    }
}
