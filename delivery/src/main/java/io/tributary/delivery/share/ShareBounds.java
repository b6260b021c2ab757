package io.tributary.delivery.share;

/**
 * The broker's bounds on the share-group configs a group may set for itself (Kafka 4.4's
 * {@code group.share.min/max.*} broker keys); a value outside them is refused with INVALID_CONFIG when the group
 * config is set, with Kafka's message, and a value stored before the bounds changed is clamped into them.
 *
 * @param recordLockDurationMs    {@code group.share.min/max.record.lock.duration.ms} (15000, 60000)
 * @param deliveryCountLimit      {@code group.share.min/max.delivery.count.limit} (2, 10)
 * @param sessionTimeoutMs        {@code group.share.min/max.session.timeout.ms} (45000, 60000)
 * @param heartbeatIntervalMs     {@code group.share.min/max.heartbeat.interval.ms} (5000, 15000)
 * @param partitionMaxRecordLocks {@code group.share.min/max.partition.max.record.locks} (100, 4000)
 * @param assignmentIntervalMs    {@code group.share.min/max.assignment.interval.ms} (0, 15000)
 */
public record ShareBounds(Range recordLockDurationMs, Range deliveryCountLimit, Range sessionTimeoutMs,
                          Range heartbeatIntervalMs, Range partitionMaxRecordLocks, Range assignmentIntervalMs) {
    private static final ShareBounds KAFKA = new ShareBounds(new Range(15_000, 60_000), new Range(2, 10),
            new Range(45_000, 60_000), new Range(5_000, 15_000), new Range(100, 4_000), new Range(0, 15_000));

    /** Inclusive bounds. */
    public record Range(int min, int max) {
        boolean contains(int value) {
            return value >= min && value <= max;
        }

        int clamp(int value) {
            return Math.max(min, Math.min(max, value));
        }
    }

    /** Kafka 4.4's defaults. */
    public static ShareBounds kafkaDefaults() {
        return KAFKA;
    }

    /**
     * Why the broker's own share-group settings in {@code config} do not fit these bounds, or null; worded as Kafka
     * 4.4 refuses to start.
     */
    public String invalid(ShareConfig config) {
        String problem = fits(config.recordLockDurationMs(), recordLockDurationMs, "group.share.record.lock.duration.ms",
                "group.share.min.record.lock.duration.ms", "group.share.max.record.lock.duration.ms", false);
        if (problem == null) {
            problem = fits(config.deliveryCountLimit(), deliveryCountLimit, "group.share.delivery.count.limit",
                    "group.share.min.delivery.count.limit", "group.share.max.delivery.count.limit", false);
        }
        if (problem == null) {
            problem = fits(config.maxRecordLocks(), partitionMaxRecordLocks, "group.share.partition.max.record.locks",
                    "group.share.min.partition.max.record.locks", "group.share.max.partition.max.record.locks", false);
        }
        if (problem == null) {
            problem = ordered(sessionTimeoutMs, "group.share.min.session.timeout.ms", "group.share.max.session.timeout.ms");
        }
        if (problem == null) {
            problem = fits(config.sessionTimeoutMs(), sessionTimeoutMs, "group.share.session.timeout.ms",
                    "group.share.min.session.timeout.ms", "group.share.max.session.timeout.ms", true);
        }
        if (problem == null) {
            problem = ordered(heartbeatIntervalMs, "group.share.min.heartbeat.interval.ms",
                    "group.share.max.heartbeat.interval.ms");
        }
        if (problem == null) {
            problem = fits(config.heartbeatIntervalMs(), heartbeatIntervalMs, "group.share.heartbeat.interval.ms",
                    "group.share.min.heartbeat.interval.ms", "group.share.max.heartbeat.interval.ms", true);
        }
        if (problem == null) {
            problem = ordered(assignmentIntervalMs, "group.share.min.assignment.interval.ms",
                    "group.share.max.assignment.interval.ms");
        }
        return problem;
    }

    private static String ordered(Range range, String minKey, String maxKey) {
        return range.min() <= range.max() ? null : maxKey + " must be greater than or equal to " + minKey;
    }

    /** Kafka words the upper check two ways: the coordinator's keys name the value first, the share keys the max. */
    private static String fits(int value, Range range, String key, String minKey, String maxKey, boolean valueFirst) {
        if (value < range.min()) {
            return key + " must be greater than or equal to " + minKey;
        }
        if (value > range.max()) {
            return valueFirst ? key + " must be less than or equal to " + maxKey
                    : maxKey + " must be greater than or equal to " + key;
        }
        return null;
    }
}
