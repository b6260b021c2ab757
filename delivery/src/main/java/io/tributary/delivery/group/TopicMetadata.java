package io.tributary.delivery.group;

import java.util.Collection;

/**
 * What the coordinator needs to know of topics to assign partitions in consumer (KIP-848) groups.
 * The broker implements it over its log; it must be safe to call from any thread.
 */
public interface TopicMetadata {
    /** Partition count of {@code topic}, or -1 if it does not exist. */
    int partitionCount(String topic);

    /** Names of every existing topic, for regular-expression subscriptions. */
    Collection<String> topicNames();
}
