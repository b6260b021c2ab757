package io.tributary.perf.workload;

import java.util.SplittableRandom;

/**
 * The value sent by one producer thread: one array of random A–Z bytes, reused for every record
 * (transports copy it on send). For end-to-end runs the first 16 bytes carry two time stamps,
 * rewritten before each send:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 due time, nanoTime (big endian)               |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                 sent time, nanoTime (big endian)              |  8
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                 random A-Z filler ...                         |  16
 * </pre>
 *
 * Both are {@link System#nanoTime()} values, so producer and consumer must share one JVM.
 */
public final class Payload {

    /** Offset of the due time. */
    public static final int DUE_OFFSET = 0;
    /** Offset of the sent time. */
    public static final int SENT_OFFSET = 8;
    /** Smallest record that can carry the stamps. */
    public static final int STAMPED_MIN_SIZE = 16;

    private final byte[] bytes;

    /** A payload of {@code size} random A–Z bytes. */
    public Payload(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("record size must be >= 0: " + size);
        }
        bytes = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('A' + r.nextInt(26));
        }
    }

    /** The array to send. */
    public byte[] bytes() {
        return bytes;
    }

    /** Writes the due and sent times into the first 16 bytes. */
    public void stamp(long dueNs, long sentNs) {
        putLong(bytes, DUE_OFFSET, dueNs);
        putLong(bytes, SENT_OFFSET, sentNs);
    }

    /** Reads the due time stamped in a received value. */
    public static long dueNs(byte[] value) {
        return getLong(value, DUE_OFFSET);
    }

    /** Reads the sent time stamped in a received value. */
    public static long sentNs(byte[] value) {
        return getLong(value, SENT_OFFSET);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
