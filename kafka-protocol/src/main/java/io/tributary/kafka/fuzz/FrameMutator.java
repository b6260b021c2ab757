package io.tributary.kafka.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded mutator over real request frames. It starts from sample request payloads (header and body,
 * no size prefix, encoded by kafka-clients' generated message classes; the caller chooses them) and
 * makes each frame from one sample with 1 to 4 mutations: a bit flip, an overwrite with an interesting
 * byte (0, -1, 0x7f, 0x80, 1), a 16- or 32-bit length/count field set to 0/-1/MAX/MIN or a small value,
 * truncation, a duplicated span or a removed span. Bytes 0-7 of the payload (api key, version,
 * correlation id) are spared half the time, so most frames get past the version check to a handler.
 *
 * <pre>
 *  frame:  +-----------+----------------------------------------------+
 *          | size (4)  | payload: header (key, version, correlation…) |
 *          +-----------+----------------------------------------------+
 *           = payload length 9 times in 10; else off by 1..16, negative, or any int
 * </pre>
 *
 * The correlation id of each sample is set to a counter before the mutations. Same seed and samples,
 * same frames. Not thread-safe: one per sending thread.
 */
public final class FrameMutator {
    private static final byte[] INTERESTING = {0, -1, 0x7f, (byte) 0x80, 1};
    private static final int CORRELATION_OFFSET = 4;

    private final List<byte[]> samples;
    private final Random random;
    private int correlation;

    /**
     * @param samples request payloads (header and body, no size prefix), each at least 8 bytes
     * @param seed    the random seed
     */
    public FrameMutator(List<byte[]> samples, long seed) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no sample requests to mutate");
        }
        this.samples = List.copyOf(samples);
        this.random = new Random(seed);
    }

    /** How many sample requests the mutator starts from. */
    public int samples() {
        return samples.size();
    }

    /** The next mutated frame, size prefix included. */
    public byte[] next() {
        byte[] payload = samples.get(random.nextInt(samples.size())).clone();
        if (payload.length >= CORRELATION_OFFSET + 4) {
            ByteBuffer.wrap(payload).putInt(CORRELATION_OFFSET, ++correlation);
        }
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            payload = mutate(payload);
        }
        int size = payload.length;
        if (random.nextInt(10) == 0) {
            size = switch (random.nextInt(4)) {
                case 0 -> size + 1 + random.nextInt(16);
                case 1 -> Math.max(0, size - 1 - random.nextInt(16));
                case 2 -> -1 - random.nextInt(1000);
                default -> random.nextInt();
            };
        }
        return ByteBuffer.allocate(4 + payload.length).putInt(size).put(payload).array();
    }

    private byte[] mutate(byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt()};
        }
        int from = b.length > 8 && random.nextBoolean() ? 8 : 0;
        int at = Math.min(from + random.nextInt(Math.max(1, b.length - from)), b.length - 1);
        switch (random.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
            case 2 -> setField(b, at);
            case 3 -> {
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            case 4 -> {
                int len = 1 + random.nextInt(Math.min(64, b.length - at));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            case 5 -> {
                int len = 1 + random.nextInt(Math.min(64, b.length - at));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                return out;
            }
            default -> b[at] = (byte) random.nextInt();
        }
        return b;
    }

    /** A 16- or 32-bit length/count field at {@code at} set to an interesting value. */
    private void setField(byte[] b, int at) {
        int width = random.nextBoolean() ? 2 : 4;
        if (at + width > b.length) {
            return;
        }
        int value = switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> width == 2 ? Short.MAX_VALUE : Integer.MAX_VALUE;
            case 3 -> width == 2 ? Short.MIN_VALUE : Integer.MIN_VALUE;
            default -> random.nextInt(1 << 12);
        };
        if (width == 2) {
            ByteBuffer.wrap(b).putShort(at, (short) value);
        } else {
            ByteBuffer.wrap(b).putInt(at, value);
        }
    }
}
