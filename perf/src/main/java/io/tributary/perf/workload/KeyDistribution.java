package io.tributary.perf.workload;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * How records are keyed: {@code none} (null key: the client spreads batches over partitions),
 * {@code uniform:N} (each record one of N keys at random) or {@code sequential:N} (the N keys in
 * turn). Keys are {@code key-<i>} strings, made once per producer.
 */
public final class KeyDistribution {

    /** The kinds of distribution. */
    public enum Kind { NONE, UNIFORM, SEQUENTIAL }

    private final Kind kind;
    private final int keyCount;

    private KeyDistribution(Kind kind, int keyCount) {
        this.kind = kind;
        this.keyCount = keyCount;
    }

    /** Parses {@code none}, {@code uniform:N} or {@code sequential:N}. */
    public static KeyDistribution parse(String spec) {
        if (spec.equals("none")) {
            return new KeyDistribution(Kind.NONE, 0);
        }
        int colon = spec.indexOf(':');
        if (colon > 0) {
            Kind kind = switch (spec.substring(0, colon)) {
                case "uniform" -> Kind.UNIFORM;
                case "sequential" -> Kind.SEQUENTIAL;
                default -> null;
            };
            if (kind != null) {
                try {
                    int n = Integer.parseInt(spec.substring(colon + 1));
                    if (n > 0) {
                        return new KeyDistribution(kind, n);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("key count is not a number: " + spec, e);
                }
            }
        }
        throw new IllegalArgumentException("keys must be none, uniform:N or sequential:N (N > 0): " + spec);
    }

    /** The kind. */
    public Kind kind() {
        return kind;
    }

    /** N, or 0 for {@code none}. */
    public int keyCount() {
        return keyCount;
    }

    /** A chooser for one producer thread, seeded with {@code seed}. */
    public Chooser newChooser(long seed) {
        byte[][] keys = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
        }
        return new Chooser(kind, keys, new SplittableRandom(seed));
    }

    /** Picks keys for one thread; allocates nothing per call. */
    public static final class Chooser {
        private final Kind kind;
        private final byte[][] keys;
        private final SplittableRandom random;
        private int next;

        private Chooser(Kind kind, byte[][] keys, SplittableRandom random) {
            this.kind = kind;
            this.keys = keys;
            this.random = random;
        }

        /** The key of the next record, null for {@code none}. */
        public byte[] next() {
            return switch (kind) {
                case NONE -> null;
                case UNIFORM -> keys[random.nextInt(keys.length)];
                case SEQUENTIAL -> {
                    byte[] k = keys[next];
                    next = next + 1 == keys.length ? 0 : next + 1;
                    yield k;
                }
            };
        }
    }
}
