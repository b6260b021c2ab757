package io.tributary.perf.transport;

import java.util.Map;

/**
 * Protocol-neutral consumer settings.
 *
 * @param topic       what to read
 * @param group       consumer group to join, or null to take partitions by hand: member
 *                    {@code memberIndex} of {@code memberCount} reads partitions p with
 *                    {@code p % memberCount == memberIndex}
 * @param memberIndex see {@code group}
 * @param memberCount see {@code group}
 * @param start       where to start reading
 * @param extra       transport-specific properties, applied last
 */
public record ConsumerSettings(String topic, String group, int memberIndex, int memberCount,
                               StartPosition start, Map<String, String> extra) {

    /** Where a consumer starts. */
    public enum StartPosition {
        /** The oldest record retained. */
        EARLIEST,
        /** Only records appended after the consumer has its partitions. */
        LATEST
    }

    /** Copies {@code extra}. */
    public ConsumerSettings {
        extra = Map.copyOf(extra);
    }
}
