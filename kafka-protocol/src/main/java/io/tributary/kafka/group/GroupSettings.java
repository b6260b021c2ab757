package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupConfig;
import io.tributary.delivery.group.store.GroupStoreConfig;

import java.util.Map;

/**
 * Reads the coordinator's settings from the broker configuration, under Kafka's key names:
 * {@code group.min.session.timeout.ms}, {@code group.max.session.timeout.ms},
 * {@code group.initial.rebalance.delay.ms}, {@code group.max.size}, {@code offsets.retention.minutes},
 * {@code offsets.retention.check.interval.ms}, {@code offset.metadata.max.bytes},
 * {@code group.consumer.session.timeout.ms}, {@code group.consumer.heartbeat.interval.ms} and
 * {@code group.consumer.assignors} (the first is the default) for the coordinator, and
 * {@code offsets.topic.segment.bytes} for the store. Absent keys keep {@link GroupConfig#defaults()} and
 * {@link GroupStoreConfig#defaults()}.
 */
final class GroupSettings {
    private GroupSettings() {
    }

    static GroupConfig from(Map<String, String> all) {
        GroupConfig d = GroupConfig.defaults();
        String assignors = all.get("group.consumer.assignors");
        String assignor = assignors == null || assignors.isBlank() ? d.consumerDefaultAssignor()
                : assignors.split(",")[0].trim();
        long retentionMinutes = longValue(all, "offsets.retention.minutes", d.offsetsRetentionMs() / 60_000L);
        return new GroupConfig(
                intValue(all, "group.min.session.timeout.ms", d.minSessionTimeoutMs()),
                intValue(all, "group.max.session.timeout.ms", d.maxSessionTimeoutMs()),
                intValue(all, "group.initial.rebalance.delay.ms", d.initialRebalanceDelayMs()),
                intValue(all, "group.max.size", d.maxGroupSize()),
                retentionMinutes * 60_000L,
                longValue(all, "offsets.retention.check.interval.ms", d.offsetsRetentionCheckIntervalMs()),
                intValue(all, "offset.metadata.max.bytes", d.offsetMetadataMaxBytes()),
                intValue(all, "group.consumer.session.timeout.ms", d.consumerSessionTimeoutMs()),
                intValue(all, "group.consumer.heartbeat.interval.ms", d.consumerHeartbeatIntervalMs()),
                assignor);
    }

    static GroupStoreConfig storeFrom(Map<String, String> all) {
        return new GroupStoreConfig(intValue(all, "offsets.topic.segment.bytes",
                GroupStoreConfig.defaults().segmentBytes()));
    }

    private static int intValue(Map<String, String> all, String key, int fallback) {
        return (int) longValue(all, key, fallback);
    }

    private static long longValue(Map<String, String> all, String key, long fallback) {
        String value = all.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got " + value, e);
        }
    }
}
