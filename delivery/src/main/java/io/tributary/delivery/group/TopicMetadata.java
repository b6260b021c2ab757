package io.tributary.delivery.group;

import io.tributary.log.LogManager;

import java.util.Collection;

/**
 * What the coordinator needs to know of topics to assign partitions in consumer (KIP-848) groups.
 * {@link #of} reads it from the log; it must be safe to call from any thread.
 */
public interface TopicMetadata {
    /** Partition count of {@code topic}, or -1 if it does not exist. */
    int partitionCount(String topic);

    /** Names of every existing topic, for regular-expression subscriptions. */
    Collection<String> topicNames();

    /** The topics of {@code log}, as they are at each call. */
    static TopicMetadata of(LogManager log) {
        return new LogTopics(log);
    }
}
