package io.tributary.delivery.group;

/**
 * Coordinator settings, named after the Kafka broker keys they mirror. Immutable; start from
 * {@link #defaults()} and derive with the {@code with*} methods. The broker parses them from its
 * configuration file, and its documented defaults are these.
 *
 * @param minSessionTimeoutMs             {@code group.min.session.timeout.ms} (6000)
 * @param maxSessionTimeoutMs             {@code group.max.session.timeout.ms} (1800000)
 * @param initialRebalanceDelayMs         {@code group.initial.rebalance.delay.ms} (0, as in the server.properties
 *                                        Kafka ships; Kafka's built-in default is 3000): how long the first
 *                                        rebalance of an empty classic group waits for more members
 * @param maxGroupSize                    {@code group.max.size} (unbounded)
 * @param offsetsRetentionMs              {@code offsets.retention.minutes} in ms (7 days): how long offsets of
 *                                        an empty group are kept
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms} (600000)
 * @param offsetMetadataMaxBytes          {@code offset.metadata.max.bytes} (4096)
 * @param consumerSessionTimeoutMs        {@code group.consumer.session.timeout.ms} (45000)
 * @param consumerHeartbeatIntervalMs     {@code group.consumer.heartbeat.interval.ms} (5000)
 * @param consumerDefaultAssignor         first of {@code group.consumer.assignors} ("uniform")
 */
public record GroupConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
                          int maxGroupSize, long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs,
                          int offsetMetadataMaxBytes, int consumerSessionTimeoutMs,
                          int consumerHeartbeatIntervalMs, String consumerDefaultAssignor) {

    private static final GroupConfig DEFAULTS = new GroupConfig(6_000, 1_800_000, 0, Integer.MAX_VALUE,
            7L * 24 * 3600 * 1000, 600_000L, 4096, 45_000, 5_000, "uniform");

    public static GroupConfig defaults() {
        return DEFAULTS;
    }

    public GroupConfig withInitialRebalanceDelayMs(int value) {
        return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, value, maxGroupSize, offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, consumerSessionTimeoutMs,
                consumerHeartbeatIntervalMs, consumerDefaultAssignor);
    }

    public GroupConfig withMaxGroupSize(int value) {
        return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs, value,
                offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, consumerSessionTimeoutMs,
                consumerHeartbeatIntervalMs, consumerDefaultAssignor);
    }

    public GroupConfig withOffsetsRetentionMs(long value) {
        return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs, maxGroupSize, value,
                offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, consumerSessionTimeoutMs,
                consumerHeartbeatIntervalMs, consumerDefaultAssignor);
    }

    public GroupConfig withOffsetsRetentionCheckIntervalMs(long value) {
        return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs, maxGroupSize,
                offsetsRetentionMs, value, offsetMetadataMaxBytes, consumerSessionTimeoutMs,
                consumerHeartbeatIntervalMs, consumerDefaultAssignor);
    }

    public GroupConfig withConsumerSessionTimeoutMs(int value) {
        return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs, maxGroupSize,
                offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, value,
                consumerHeartbeatIntervalMs, consumerDefaultAssignor);
    }
}
