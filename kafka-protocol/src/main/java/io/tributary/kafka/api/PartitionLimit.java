package io.tributary.kafka.api;

import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import io.tributary.spi.BrokerSettings;

/**
 * {@code max.partitions}: the most partitions of all topics together that clients may make the broker hold, through
 * CreateTopics, CreatePartitions and auto-creation. Kafka 4.4 has no such bound (KIP-578 proposed one under this
 * name); here every partition holds three open files (decision 0040), so a broker open to many clients, or to
 * hostile input, can set one below what its open-file limit allows. Unset, nothing is refused.
 *
 * <p>Checked on the listener's admin thread, where its client creations run one at a time, so two creations on one
 * listener cannot both pass with room for one (on two listeners at once they can, by one request; decision 0049).
 * Topics the broker makes itself (its internal topics, dead-letter topics) count but are not refused.
 */
public final class PartitionLimit {
    private PartitionLimit() {
    }

    /** Why adding {@code partitions} partitions is refused, or null when they fit. */
    public static String refusal(LogManager log, BrokerSettings settings, long partitions) {
        int max = settings.maxPartitions();
        if (max == Integer.MAX_VALUE) {
            return null;
        }
        long held = log.topics().stream().mapToLong(Topic::partitionCount).sum();
        if (held + partitions <= max) {
            return null;
        }
        return "Adding " + partitions + " partition(s) to the " + held + " the broker holds would exceed max.partitions ("
                + max + ").";
    }
}
