package io.tributary.kafka.network;

import io.tributary.kafka.TestFrames;
import io.tributary.kafka.api.SupportedApis;
import org.apache.kafka.common.protocol.ApiKeys;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded mutator over real request frames: one sample per accepted API version, encoded by kafka-clients'
 * generated message classes (the samples of {@link RequestDecoderTest}), then bit flips, overwrites with
 * interesting values, truncation, length-field edits and duplicated or removed spans. The 4-byte frame size
 * is made consistent with the mutated payload most of the time and left broken some of the time.
 */
public final class FrameMutator {
    private static final byte[] INTERESTING = {0, -1, 0x7f, (byte) 0x80, 1};
    private final List<byte[]> payloads = new ArrayList<>();
    private final Random random;
    private int correlation;

    public FrameMutator(long seed) {
        random = new Random(seed);
        for (ApiKeys key : SupportedApis.keys()) {
            for (short v = 0; v <= SupportedApis.maxVersion(key); v++) {
                if (SupportedApis.accepts(key, v)) {
                    ByteBuffer payload = TestFrames.payload(key, v, RequestDecoderTest.sample(key, v), 0);
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    payloads.add(bytes);
                }
            }
        }
    }

    /** How many sample requests (API, version pairs) the mutator starts from. */
    public int samples() {
        return payloads.size();
    }

    /** The next mutated frame, size prefix included. */
    public byte[] next() {
        byte[] payload = payloads.get(random.nextInt(payloads.size())).clone();
        ByteBuffer.wrap(payload).putInt(4, ++correlation);
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
        // Header bytes 0-7 (api key, version, correlation id) are left alone half the time so that most
        // frames reach a handler rather than the decoder's version check
        int from = b.length > 8 && random.nextBoolean() ? 8 : 0;
        int at = from + random.nextInt(Math.max(1, b.length - from));
        at = Math.min(at, b.length - 1);
        switch (random.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
            case 2 -> {
                // a 16- or 32-bit length/count field set to an interesting value
                int width = random.nextBoolean() ? 2 : 4;
                if (at + width <= b.length) {
                    int value = switch (random.nextInt(5)) {
                        case 0 -> 0;
                        case 1 -> -1;
                        case 2 -> width == 2 ? Short.MAX_VALUE : Integer.MAX_VALUE;
                        case 3 -> width == 2 ? Short.MIN_VALUE : Integer.MIN_VALUE;
                        default -> random.nextInt(1 << 12);
                    };
                    ByteBuffer buffer = ByteBuffer.wrap(b);
                    if (width == 2) {
                        buffer.putShort(at, (short) value);
                    } else {
                        buffer.putInt(at, value);
                    }
                }
            }
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
}
