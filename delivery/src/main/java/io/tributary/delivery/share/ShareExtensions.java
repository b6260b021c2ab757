package io.tributary.delivery.share;

import java.util.Arrays;
import java.util.Locale;

/**
 * A share group's settings beyond Kafka's (Tributary extensions, set as group configs like Kafka's
 * {@code share.*} ones; see {@link ShareGroupConfigs}).
 *
 * @param retryBackoffMs {@code tributary.share.retry.backoff.levels}: after its n-th delivery is released or its
 *                       lock expires, a record waits {@code retryBackoffMs[n-1]} ms (the last level for higher
 *                       counts) before it is available again; empty: at once (Kafka's behaviour)
 * @param keyAffinity    {@code tributary.share.key.affinity}: records with the same key are never acquired by two
 *                       members at once and are acquired in offset order
 * @param deferHorizonMs {@code tributary.share.defer.horizon.ms}: a record due more than this far ahead (deliver-at,
 *                       delay or retry backoff) leaves the window for the partition's {@link DeferredIndex}; -1:
 *                       never
 * @param expiryTopic    {@code tributary.share.expiry.topic.name}: the topic expired records are copied to, or null
 */
public record ShareExtensions(long[] retryBackoffMs, boolean keyAffinity, long deferHorizonMs, String expiryTopic) {
    /** {@code tributary.share.defer.horizon.ms}'s default: records due over a minute ahead leave the window. */
    public static final long DEFAULT_DEFER_HORIZON_MS = 60_000;
    /** The defaults: no backoff, no affinity (Kafka's behaviour), far-future records deferred, no expiry topic. */
    public static final ShareExtensions NONE = new ShareExtensions(new long[0], false);

    public ShareExtensions {
        retryBackoffMs = retryBackoffMs.clone();
    }

    /** Backoff and affinity as given, the other settings at their defaults. */
    public ShareExtensions(long[] retryBackoffMs, boolean keyAffinity) {
        this(retryBackoffMs, keyAffinity, DEFAULT_DEFER_HORIZON_MS, null);
    }

    /** How long a record released after its {@code deliveryCount}-th delivery waits; 0 without backoff. */
    long backoffMs(int deliveryCount) {
        if (retryBackoffMs.length == 0 || deliveryCount < 1) {
            return 0;
        }
        return retryBackoffMs[Math.min(deliveryCount, retryBackoffMs.length) - 1];
    }

    /**
     * Parses a backoff schedule: durations separated by spaces or commas, each a number of milliseconds or a
     * number with a unit {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} (RocketMQ writes
     * {@code 1s 5s 10s 30s 1m 2m}); blank is no backoff.
     *
     * @throws IllegalArgumentException naming the level that is not a duration
     */
    static long[] parseLevels(String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return new long[0];
        }
        String[] parts = trimmed.split("[\\s,]+");
        long[] levels = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            levels[i] = parseDuration(parts[i]);
        }
        return levels;
    }

    private static long parseDuration(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < t.length() && Character.isDigit(t.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 12) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(t.substring(0, digits));
        long unit = switch (t.substring(digits)) {
            case "", "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
        return n * unit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShareExtensions other && keyAffinity == other.keyAffinity
               && Arrays.equals(retryBackoffMs, other.retryBackoffMs) && deferHorizonMs == other.deferHorizonMs
               && java.util.Objects.equals(expiryTopic, other.expiryTopic);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(retryBackoffMs), keyAffinity, deferHorizonMs, expiryTopic);
    }

    @Override
    public String toString() {
        return "ShareExtensions[retryBackoffMs=" + Arrays.toString(retryBackoffMs) + ", keyAffinity=" + keyAffinity
               + ", deferHorizonMs=" + deferHorizonMs + ", expiryTopic=" + expiryTopic + "]";
    }
}
