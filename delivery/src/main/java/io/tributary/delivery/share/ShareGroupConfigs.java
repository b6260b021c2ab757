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
 *   <tr><td>share.record.lock.duration.ms</td><td>group.share.record.lock.duration.ms</td><td>15000-60000</td></tr>
 *   <tr><td>share.delivery.count.limit</td><td>group.share.delivery.count.limit</td><td>2-10</td></tr>
 *   <tr><td>share.isolation.level</td><td>read_uncommitted</td><td>read_uncommitted, read_committed (acquire
 *       below the last stable offset only, archive aborted records; applied by the Kafka adapter's share
 *       fetch)</td></tr>
 *   <tr><td>share.heartbeat.interval.ms</td><td>group.share.heartbeat.interval.ms</td><td>5000-15000</td></tr>
 *   <tr><td>share.session.timeout.ms</td><td>group.share.session.timeout.ms</td><td>45000-60000, above the
 *       heartbeat interval</td></tr>
 *   <tr><td>share.partition.max.record.locks</td><td>group.share.partition.max.record.locks</td><td>100-4000 (the
 *       window of share partitions the group creates from then on)</td></tr>
 *   <tr><td>share.assignment.interval.ms</td><td>1000</td><td>0-15000 (accepted and described; assignment is
 *       computed at every heartbeat, so always within it)</td></tr>
 *   <tr><td>share.renew.acknowledge.enable</td><td>true</td><td>true, false (false: RENEW gets
 *       INVALID_RECORD_STATE)</td></tr>
 *   <tr><td>errors.deadletterqueue.topic.name</td><td>(empty: none)</td><td>not starting with {@code __}: the
 *       group's dead-letter topic (KIP-1191)</td></tr>
 *   <tr><td>errors.deadletterqueue.copy.record.enable</td><td>false</td><td>true, false: copy the record's key
 *       and value into its dead letter</td></tr>
 *   <tr><td>tributary.share.retry.backoff.levels</td><td>(empty: none)</td><td>durations such as
 *       {@code 1s 5s 1m}: a released or lock-expired record waits the level of its delivery count (Tributary
 *       extension)</td></tr>
 *   <tr><td>tributary.share.defer.horizon.ms</td><td>60000</td><td>-1 (never) or more: a record due further ahead
 *       leaves the window for the deferred index (Tributary extension)</td></tr>
 *   <tr><td>tributary.share.expiry.topic.name</td><td>(empty: none)</td><td>not starting with {@code __}: expired
 *       records are copied there, as dead letters are (Tributary extension)</td></tr>
 *   <tr><td>tributary.share.key.affinity</td><td>false</td><td>true, false: records of one key in order, on one
 *       member at a time (Tributary extension)</td></tr>
 *   <tr><td>tributary.jms.subscription</td><td>(empty)</td><td>any text: what the JMS provider records as the
 *       definition of the shared subscription the group is (its topic and selector); the broker only keeps it
 *       (Tributary extension)</td></tr>
 * </table>
 *
 * <p>The bounds of the lock duration, delivery count, heartbeat, session timeout, window and assignment interval
 * are the broker's {@link ShareBounds} (Kafka 4.4's {@code group.share.min/max.*} keys; the table gives their
 * defaults), below each config's own floor (1000, 2, 1, 1, 100, 0).
 */
public final class ShareGroupConfigs {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShareGroupConfigs.class);
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";
    public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
    public static final String ISOLATION_LEVEL = "share.isolation.level";
    public static final String HEARTBEAT_INTERVAL_MS = "share.heartbeat.interval.ms";
    public static final String SESSION_TIMEOUT_MS = "share.session.timeout.ms";
    public static final String PARTITION_MAX_RECORD_LOCKS = "share.partition.max.record.locks";
    public static final String ASSIGNMENT_INTERVAL_MS = "share.assignment.interval.ms";
    public static final String RENEW_ACKNOWLEDGE_ENABLE = "share.renew.acknowledge.enable";
    public static final String DLQ_TOPIC_NAME = "errors.deadletterqueue.topic.name";
    public static final String DLQ_COPY_RECORD_ENABLE = "errors.deadletterqueue.copy.record.enable";
    /** Tributary extension: the retry backoff schedule, see {@link ShareExtensions#retryBackoffMs()}. */
    public static final String RETRY_BACKOFF_LEVELS = "tributary.share.retry.backoff.levels";
    /** Tributary extension: key affinity, see {@link ShareExtensions#keyAffinity()}. */
    public static final String KEY_AFFINITY = "tributary.share.key.affinity";
    /** Tributary extension: the deferral horizon, see {@link ShareExtensions#deferHorizonMs()}. */
    public static final String DEFER_HORIZON_MS = "tributary.share.defer.horizon.ms";
    /** Tributary extension: the expiry topic, see {@link ShareExtensions#expiryTopic()}. */
    public static final String EXPIRY_TOPIC_NAME = "tributary.share.expiry.topic.name";
    /** Tributary extension: a JMS shared subscription's definition, kept for the provider and not interpreted. */
    public static final String JMS_SUBSCRIPTION = "tributary.jms.subscription";
    /** Every name, in documentation order. */
    public static final List<String> NAMES = List.of(AUTO_OFFSET_RESET, RECORD_LOCK_DURATION_MS,
            DELIVERY_COUNT_LIMIT, ISOLATION_LEVEL, HEARTBEAT_INTERVAL_MS, SESSION_TIMEOUT_MS,
            PARTITION_MAX_RECORD_LOCKS, ASSIGNMENT_INTERVAL_MS, RENEW_ACKNOWLEDGE_ENABLE, DLQ_TOPIC_NAME,
            DLQ_COPY_RECORD_ENABLE, RETRY_BACKOFF_LEVELS, KEY_AFFINITY, DEFER_HORIZON_MS, EXPIRY_TOPIC_NAME, JMS_SUBSCRIPTION);

    /** The kind of value a config takes, as DescribeConfigs reports it. */
    public enum Type { INT, LONG, BOOLEAN, STRING }

    private ShareGroupConfigs() {
    }

    /** Why {@code value} is not allowed for {@code name} within Kafka's default bounds, or null if it is. */
    public static String invalid(String name, String value) {
        return invalid(ShareBounds.kafkaDefaults(), name, value);
    }

    /**
     * Why {@code value} is not allowed for {@code name} on a broker with {@code bounds}, or null if it is; worded as
     * Kafka 4.4 words it (a value below the config's own floor, then one outside the broker's bounds).
     */
    public static String invalid(ShareBounds bounds, String name, String value) {
        switch (name) {
            case AUTO_OFFSET_RESET -> {
                return value.equals("latest") || value.equals("earliest") ? null
                        : "Invalid value " + value + " for configuration " + name + ": must be latest or earliest";
            }
            case RECORD_LOCK_DURATION_MS -> {
                return bounded(name, value, 1000, bounds.recordLockDurationMs());
            }
            case DELIVERY_COUNT_LIMIT -> {
                return bounded(name, value, 2, bounds.deliveryCountLimit());
            }
            case ISOLATION_LEVEL -> {
                return value.equals("read_uncommitted") || value.equals("read_committed") ? null
                        : "Invalid value " + value + " for configuration " + name
                          + ": must be read_uncommitted or read_committed";
            }
            case HEARTBEAT_INTERVAL_MS -> {
                return bounded(name, value, 1, bounds.heartbeatIntervalMs());
            }
            case SESSION_TIMEOUT_MS -> {
                return bounded(name, value, 1, bounds.sessionTimeoutMs());
            }
            case PARTITION_MAX_RECORD_LOCKS -> {
                return bounded(name, value, 100, bounds.partitionMaxRecordLocks());
            }
            case ASSIGNMENT_INTERVAL_MS -> {
                return bounded(name, value, 0, bounds.assignmentIntervalMs());
            }
            case DLQ_TOPIC_NAME -> {
                return value.trim().startsWith("__")
                        ? DLQ_TOPIC_NAME + ": DLQ topic name must not start with '__'" : null;
            }
            case RENEW_ACKNOWLEDGE_ENABLE, DLQ_COPY_RECORD_ENABLE -> {
                String v = value.trim();
                return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null
                        : "Invalid value " + value + " for configuration " + name + ": Expected value to be either true or false";
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
            case DEFER_HORIZON_MS -> {
                try {
                    return Long.parseLong(value.trim()) >= -1 ? null
                            : "Invalid value " + value + " for configuration " + name + ": must be -1 (never) or more";
                } catch (NumberFormatException e) {
                    return "Invalid value " + value + " for configuration " + name + ": Not a number of type LONG";
                }
            }
            case EXPIRY_TOPIC_NAME -> {
                return value.trim().startsWith("__")
                        ? EXPIRY_TOPIC_NAME + ": expiry topic name must not start with '__'" : null;
            }
            case JMS_SUBSCRIPTION -> {
                return null;
            }
            default -> {
                return "Unknown group config name: " + name;
            }
        }
    }

    /**
     * Why a group's whole set of {@code configs} is not allowed on a broker with {@code base} although each value
     * is, or null: Kafka's rule that the session timeout must exceed the heartbeat interval, each taken from
     * {@code configs} or else from the broker.
     */
    public static String invalidTogether(ShareConfig base, Map<String, String> configs) {
        if (!configs.containsKey(SESSION_TIMEOUT_MS) && !configs.containsKey(HEARTBEAT_INTERVAL_MS)) {
            return null;
        }
        int session = configs.containsKey(SESSION_TIMEOUT_MS) ? Integer.parseInt(configs.get(SESSION_TIMEOUT_MS).trim())
                : base.sessionTimeoutMs();
        int heartbeat = configs.containsKey(HEARTBEAT_INTERVAL_MS)
                ? Integer.parseInt(configs.get(HEARTBEAT_INTERVAL_MS).trim()) : base.heartbeatIntervalMs();
        return session > heartbeat ? null : SESSION_TIMEOUT_MS + " must be greater than " + HEARTBEAT_INTERVAL_MS;
    }

    /** The kind of value {@code name} takes. */
    public static Type type(String name) {
        return switch (name) {
            case DEFER_HORIZON_MS -> Type.LONG;
            case RECORD_LOCK_DURATION_MS, DELIVERY_COUNT_LIMIT, HEARTBEAT_INTERVAL_MS, SESSION_TIMEOUT_MS,
                 PARTITION_MAX_RECORD_LOCKS, ASSIGNMENT_INTERVAL_MS -> Type.INT;
            case RENEW_ACKNOWLEDGE_ENABLE, DLQ_COPY_RECORD_ENABLE -> Type.BOOLEAN;
            default -> Type.STRING;
        };
    }

    /** Whether {@code overrides} leave RENEW acknowledgements enabled (Kafka's default: yes). */
    public static boolean renewEnabled(Map<String, String> overrides) {
        String v = overrides.get(RENEW_ACKNOWLEDGE_ENABLE);
        return v == null || !v.trim().equalsIgnoreCase("false");
    }

    /** The group's expiry topic in {@code overrides}, or null when it has none. */
    public static String expiryTopic(Map<String, String> overrides) {
        String name = overrides.get(EXPIRY_TOPIC_NAME);
        return name == null || name.trim().isEmpty() ? null : name.trim();
    }

    /** The group's dead-letter topic in {@code overrides}, or null when it has none. */
    public static String deadLetterTopic(Map<String, String> overrides) {
        String name = overrides.get(DLQ_TOPIC_NAME);
        return name == null || name.trim().isEmpty() ? null : name.trim();
    }

    /** Whether {@code overrides} ask dead letters to carry the record's key and value. */
    public static boolean copyRecord(Map<String, String> overrides) {
        String v = overrides.get(DLQ_COPY_RECORD_ENABLE);
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    /** Every config's value for a group with {@code overrides} on a broker with {@code base}. */
    public static Map<String, String> values(ShareConfig base, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(AUTO_OFFSET_RESET, base.autoOffsetReset().name().toLowerCase(Locale.ROOT));
        values.put(RECORD_LOCK_DURATION_MS, Integer.toString(base.recordLockDurationMs()));
        values.put(DELIVERY_COUNT_LIMIT, Integer.toString(base.deliveryCountLimit()));
        values.put(ISOLATION_LEVEL, "read_uncommitted");
        values.put(HEARTBEAT_INTERVAL_MS, Integer.toString(base.heartbeatIntervalMs()));
        values.put(SESSION_TIMEOUT_MS, Integer.toString(base.sessionTimeoutMs()));
        values.put(PARTITION_MAX_RECORD_LOCKS, Integer.toString(base.maxRecordLocks()));
        values.put(ASSIGNMENT_INTERVAL_MS, "1000");
        values.put(RENEW_ACKNOWLEDGE_ENABLE, "true");
        values.put(DLQ_TOPIC_NAME, "");
        values.put(DLQ_COPY_RECORD_ENABLE, "false");
        values.put(RETRY_BACKOFF_LEVELS, "");
        values.put(KEY_AFFINITY, "false");
        values.put(DEFER_HORIZON_MS, Long.toString(ShareExtensions.DEFAULT_DEFER_HORIZON_MS));
        values.put(EXPIRY_TOPIC_NAME, "");
        values.put(JMS_SUBSCRIPTION, "");
        values.putAll(overrides);
        return values;
    }

    /**
     * {@code base} with a group's {@code overrides} applied; a value outside the broker's bounds (set before the
     * bounds changed) is clamped into them, with a warning, as Kafka 4.4 evaluates group configs.
     */
    static ShareConfig apply(ShareConfig base, Map<String, String> overrides) {
        ShareConfig config = base;
        ShareBounds bounds = base.bounds();
        String reset = overrides.get(AUTO_OFFSET_RESET);
        if (reset != null) {
            config = config.withAutoOffsetReset(ShareConfig.OffsetReset.valueOf(reset.toUpperCase(Locale.ROOT)));
        }
        String lock = overrides.get(RECORD_LOCK_DURATION_MS);
        if (lock != null) {
            config = config.withRecordLockDurationMs(clamped(RECORD_LOCK_DURATION_MS, lock, bounds.recordLockDurationMs()));
        }
        String limit = overrides.get(DELIVERY_COUNT_LIMIT);
        if (limit != null) {
            config = config.withDeliveryCountLimit(clamped(DELIVERY_COUNT_LIMIT, limit, bounds.deliveryCountLimit()));
        }
        String heartbeat = overrides.get(HEARTBEAT_INTERVAL_MS);
        if (heartbeat != null) {
            config = config.withHeartbeatIntervalMs(clamped(HEARTBEAT_INTERVAL_MS, heartbeat,
                    bounds.heartbeatIntervalMs()));
        }
        String session = overrides.get(SESSION_TIMEOUT_MS);
        if (session != null) {
            config = config.withSessionTimeoutMs(clamped(SESSION_TIMEOUT_MS, session, bounds.sessionTimeoutMs()));
        }
        String locks = overrides.get(PARTITION_MAX_RECORD_LOCKS);
        if (locks != null) {
            config = config.withMaxRecordLocks(clamped(PARTITION_MAX_RECORD_LOCKS, locks,
                    bounds.partitionMaxRecordLocks()));
        }
        return config;
    }

    private static int clamped(String name, String value, ShareBounds.Range range) {
        int n = Integer.parseInt(value.trim());
        int clamped = range.clamp(n);
        if (clamped != n) {
            LOG.warn("Group config {}={} is outside the broker's bounds {}-{}; using {}", name, n, range.min(),
                    range.max(), clamped);
        }
        return clamped;
    }

    /**
     * Kafka's two checks of a group config bounded by broker keys: its own floor ({@code atLeast}), then the broker's
     * range.
     */
    private static String bounded(String name, String value, int floor, ShareBounds.Range range) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < floor) {
                return "Invalid value " + value + " for configuration " + name + ": Value must be at least " + floor;
            }
            return range.contains(n) ? null
                    : name + " must be in the range " + range.min() + " to " + range.max() + " inclusive.";
        } catch (NumberFormatException e) {
            return "Invalid value " + value + " for configuration " + name + ": Not a number of type INT";
        }
    }

    /** A group's settings beyond Kafka's, from its {@code overrides}. */
    static ShareExtensions extensions(Map<String, String> overrides) {
        String levels = overrides.get(RETRY_BACKOFF_LEVELS);
        String affinity = overrides.get(KEY_AFFINITY);
        String horizon = overrides.get(DEFER_HORIZON_MS);
        if (levels == null && affinity == null && horizon == null && expiryTopic(overrides) == null) {
            return ShareExtensions.NONE;
        }
        return new ShareExtensions(levels == null ? new long[0] : ShareExtensions.parseLevels(levels),
                Boolean.parseBoolean(affinity),
                horizon == null ? ShareExtensions.DEFAULT_DEFER_HORIZON_MS : Long.parseLong(horizon.trim()),
                expiryTopic(overrides));
    }
}
