package io.tributary.delivery.share;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The share-group configs a group may set for itself (Kafka's group configs, set with
 * IncrementalAlterConfigs on a GROUP resource), their defaults from the broker's {@link ShareConfig}, and
 * how they override it.
 *
 * <table>
 *   <caption>Group configs</caption>
 *   <tr><th>name</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>share.auto.offset.reset</td><td>latest</td><td>latest, earliest</td></tr>
 *   <tr><td>share.record.lock.duration.ms</td><td>group.share.record.lock.duration.ms</td><td>1000-3600000</td></tr>
 *   <tr><td>share.delivery.count.limit</td><td>group.share.delivery.count.limit</td><td>2-10</td></tr>
 *   <tr><td>share.isolation.level</td><td>read_uncommitted</td><td>read_uncommitted, read_committed (acquire
 *       below the last stable offset only, archive aborted records; applied by the Kafka adapter's share
 *       fetch)</td></tr>
 *   <tr><td>tributary.share.retry.backoff.levels</td><td>(empty: none)</td><td>durations such as
 *       {@code 1s 5s 1m}: a released or lock-expired record waits the level of its delivery count (Tributary
 *       extension)</td></tr>
 *   <tr><td>tributary.share.key.affinity</td><td>false</td><td>true, false: records of one key in order, on one
 *       member at a time (Tributary extension)</td></tr>
 * </table>
 */
public final class ShareGroupConfigs {
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";
    public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
    public static final String ISOLATION_LEVEL = "share.isolation.level";
    /** Tributary extension: the retry backoff schedule, see {@link ShareExtensions#retryBackoffMs()}. */
    public static final String RETRY_BACKOFF_LEVELS = "tributary.share.retry.backoff.levels";
    /** Tributary extension: key affinity, see {@link ShareExtensions#keyAffinity()}. */
    public static final String KEY_AFFINITY = "tributary.share.key.affinity";
    /** Every name, in documentation order. */
    public static final List<String> NAMES = List.of(AUTO_OFFSET_RESET, RECORD_LOCK_DURATION_MS,
            DELIVERY_COUNT_LIMIT, ISOLATION_LEVEL, RETRY_BACKOFF_LEVELS, KEY_AFFINITY);

    private ShareGroupConfigs() {
    }

    /** Why {@code value} is not allowed for {@code name}, or null if it is. */
    public static String invalid(String name, String value) {
        switch (name) {
            case AUTO_OFFSET_RESET -> {
                return value.equals("latest") || value.equals("earliest") ? null
                        : "Invalid value " + value + " for configuration " + name + ": must be latest or earliest";
            }
            case RECORD_LOCK_DURATION_MS -> {
                return range(name, value, 1000, 3_600_000);
            }
            case DELIVERY_COUNT_LIMIT -> {
                return range(name, value, 2, 10);
            }
            case ISOLATION_LEVEL -> {
                return value.equals("read_uncommitted") || value.equals("read_committed") ? null
                        : "Invalid value " + value + " for configuration " + name
                          + ": must be read_uncommitted or read_committed";
            }
            case RETRY_BACKOFF_LEVELS -> {
                try {
                    ShareExtensions.parseLevels(value);
                    return null;
                } catch (IllegalArgumentException e) {
                    return "Invalid value " + value + " for configuration " + name + ": " + e.getMessage()
                           + " (durations such as 500ms 1s 5m 2h, separated by spaces or commas)";
                }
            }
            case KEY_AFFINITY -> {
                return value.equals("true") || value.equals("false") ? null
                        : "Invalid value " + value + " for configuration " + name + ": must be true or false";
            }
            default -> {
                return "Unknown group config name: " + name;
            }
        }
    }

    /** Every config's value for a group with {@code overrides} on a broker with {@code base}. */
    public static Map<String, String> values(ShareConfig base, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(AUTO_OFFSET_RESET, base.autoOffsetReset().name().toLowerCase(Locale.ROOT));
        values.put(RECORD_LOCK_DURATION_MS, Integer.toString(base.recordLockDurationMs()));
        values.put(DELIVERY_COUNT_LIMIT, Integer.toString(base.deliveryCountLimit()));
        values.put(ISOLATION_LEVEL, "read_uncommitted");
        values.put(RETRY_BACKOFF_LEVELS, "");
        values.put(KEY_AFFINITY, "false");
        values.putAll(overrides);
        return values;
    }

    /** {@code base} with a group's {@code overrides} applied. */
    static ShareConfig apply(ShareConfig base, Map<String, String> overrides) {
        ShareConfig config = base;
        String reset = overrides.get(AUTO_OFFSET_RESET);
        if (reset != null) {
            config = config.withAutoOffsetReset(ShareConfig.OffsetReset.valueOf(reset.toUpperCase(Locale.ROOT)));
        }
        String lock = overrides.get(RECORD_LOCK_DURATION_MS);
        if (lock != null) {
            config = config.withRecordLockDurationMs(Integer.parseInt(lock));
        }
        String limit = overrides.get(DELIVERY_COUNT_LIMIT);
        if (limit != null) {
            config = config.withDeliveryCountLimit(Integer.parseInt(limit));
        }
        return config;
    }

    /** A group's settings beyond Kafka's, from its {@code overrides}. */
    static ShareExtensions extensions(Map<String, String> overrides) {
        String levels = overrides.get(RETRY_BACKOFF_LEVELS);
        String affinity = overrides.get(KEY_AFFINITY);
        if (levels == null && affinity == null) {
            return ShareExtensions.NONE;
        }
        return new ShareExtensions(levels == null ? new long[0] : ShareExtensions.parseLevels(levels),
                Boolean.parseBoolean(affinity));
    }

    private static String range(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            return n >= min && n <= max ? null
                    : "Invalid value " + value + " for configuration " + name + ": Value must be in [" + min + ", "
                      + max + "]";
        } catch (NumberFormatException e) {
            return "Invalid value " + value + " for configuration " + name + ": Not a number of type INT";
        }
    }
}
