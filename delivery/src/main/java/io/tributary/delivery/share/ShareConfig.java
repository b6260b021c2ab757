package io.tributary.delivery.share;

/**
 * Share-group settings, named after the Kafka broker keys they mirror; the broker parses them and its
 * documented defaults are these.
 *
 * @param recordLockDurationMs {@code group.share.record.lock.duration.ms} (30000): how long an acquired
 *                             record stays locked to its member
 * @param deliveryCountLimit   {@code group.share.delivery.count.limit} (5): deliveries after which a
 *                             released or expired record is archived instead of made available again
 * @param maxRecordLocks       {@code group.share.partition.max.record.locks} (2000): the in-flight window of a
 *                             share partition, in offsets; bounds the engine's memory per partition
 * @param heartbeatIntervalMs  {@code group.share.heartbeat.interval.ms} (5000)
 * @param sessionTimeoutMs     {@code group.share.session.timeout.ms} (45000): a member not heard from for
 *                             this long is removed and its records released
 * @param maxGroupSize         {@code group.share.max.size} (200): members per share group
 * @param autoOffsetReset      where a share partition starts when first read, for groups that do not set
 *                             {@code share.auto.offset.reset} themselves (Kafka's default: latest)
 * @param bounds               the bounds on what a group may set for itself ({@code group.share.min/max.*})
 */
public record ShareConfig(int recordLockDurationMs, int deliveryCountLimit, int maxRecordLocks,
                          int heartbeatIntervalMs, int sessionTimeoutMs, int maxGroupSize, OffsetReset autoOffsetReset,
                          ShareBounds bounds) {
    private static final ShareConfig DEFAULTS = new ShareConfig(30_000, 5, 2000, 5_000, 45_000, 200, OffsetReset.LATEST);

    /** With Kafka's default bounds. */
    public ShareConfig(int recordLockDurationMs, int deliveryCountLimit, int maxRecordLocks, int heartbeatIntervalMs,
                       int sessionTimeoutMs, int maxGroupSize, OffsetReset autoOffsetReset) {
        this(recordLockDurationMs, deliveryCountLimit, maxRecordLocks, heartbeatIntervalMs, sessionTimeoutMs,
                maxGroupSize, autoOffsetReset, ShareBounds.kafkaDefaults());
    }

    public ShareConfig {
        java.util.Objects.requireNonNull(bounds, "bounds");
        if (recordLockDurationMs < 1) {
            throw new IllegalArgumentException("group.share.record.lock.duration.ms must be positive");
        }
        if (deliveryCountLimit < 1) {
            throw new IllegalArgumentException("group.share.delivery.count.limit must be at least 1");
        }
        if (maxRecordLocks < 1) {
            throw new IllegalArgumentException("group.share.partition.max.record.locks must be at least 1");
        }
        java.util.Objects.requireNonNull(autoOffsetReset, "autoOffsetReset");
        if (heartbeatIntervalMs < 1 || sessionTimeoutMs < 1 || maxGroupSize < 1) {
            throw new IllegalArgumentException("share-group intervals and sizes must be positive");
        }
    }

    /** Where a share partition starts when a group first reads it ({@code share.auto.offset.reset}). */
    public enum OffsetReset {
        /** At the log start offset. */
        EARLIEST,
        /** At the high watermark: only records produced from then on. */
        LATEST
    }

    public static ShareConfig defaults() {
        return DEFAULTS;
    }

    public ShareConfig withRecordLockDurationMs(int value) {
        return new ShareConfig(value, deliveryCountLimit, maxRecordLocks, heartbeatIntervalMs, sessionTimeoutMs,
                maxGroupSize, autoOffsetReset, bounds);
    }

    public ShareConfig withDeliveryCountLimit(int value) {
        return new ShareConfig(recordLockDurationMs, value, maxRecordLocks, heartbeatIntervalMs, sessionTimeoutMs,
                maxGroupSize, autoOffsetReset, bounds);
    }

    public ShareConfig withMaxRecordLocks(int value) {
        return new ShareConfig(recordLockDurationMs, deliveryCountLimit, value, heartbeatIntervalMs, sessionTimeoutMs,
                maxGroupSize, autoOffsetReset, bounds);
    }

    public ShareConfig withHeartbeatIntervalMs(int value) {
        return new ShareConfig(recordLockDurationMs, deliveryCountLimit, maxRecordLocks, value, sessionTimeoutMs,
                maxGroupSize, autoOffsetReset, bounds);
    }

    public ShareConfig withSessionTimeoutMs(int value) {
        return new ShareConfig(recordLockDurationMs, deliveryCountLimit, maxRecordLocks, heartbeatIntervalMs, value,
                maxGroupSize, autoOffsetReset, bounds);
    }

    public ShareConfig withMaxGroupSize(int value) {
        return new ShareConfig(recordLockDurationMs, deliveryCountLimit, maxRecordLocks, heartbeatIntervalMs,
                sessionTimeoutMs, value, autoOffsetReset, bounds);
    }

    public ShareConfig withBounds(ShareBounds value) {
        return new ShareConfig(recordLockDurationMs, deliveryCountLimit, maxRecordLocks, heartbeatIntervalMs,
                sessionTimeoutMs, maxGroupSize, autoOffsetReset, value);
    }

    public ShareConfig withAutoOffsetReset(OffsetReset value) {
        return new ShareConfig(recordLockDurationMs, deliveryCountLimit, maxRecordLocks, heartbeatIntervalMs,
                sessionTimeoutMs, maxGroupSize, value, bounds);
    }
}
