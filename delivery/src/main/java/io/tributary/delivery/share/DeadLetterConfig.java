package io.tributary.delivery.share;

import java.util.Map;

/**
 * Broker settings of share groups' dead-letter topics (KIP-1191), with Kafka 4.4's names and defaults.
 *
 * @param autoCreateTopics  {@code errors.deadletterqueue.auto.create.topics.enable} (false): create a group's
 *                          dead-letter topic on its first dead letter when it does not exist
 * @param topicNamePrefix   {@code errors.deadletterqueue.topic.name.prefix} ({@code dlq.}): the prefix every
 *                          dead-letter topic's name must have; empty for none
 * @param createdPartitions partitions of a topic created for dead letters ({@code num.partitions})
 */
public record DeadLetterConfig(boolean autoCreateTopics, String topicNamePrefix, int createdPartitions) {
    public static final String AUTO_CREATE_TOPICS_ENABLE = "errors.deadletterqueue.auto.create.topics.enable";
    public static final String TOPIC_NAME_PREFIX = "errors.deadletterqueue.topic.name.prefix";

    public DeadLetterConfig {
        java.util.Objects.requireNonNull(topicNamePrefix, "topicNamePrefix");
        if (createdPartitions < 1) {
            throw new IllegalArgumentException("dead-letter topics need at least one partition");
        }
    }

    public static DeadLetterConfig defaults() {
        return new DeadLetterConfig(false, "dlq.", 1);
    }

    /** The settings in {@code settings} (validated broker keys), defaults for those absent. */
    public static DeadLetterConfig from(Map<String, String> settings, int numPartitions) {
        return new DeadLetterConfig(Boolean.parseBoolean(settings.getOrDefault(AUTO_CREATE_TOPICS_ENABLE, "false").trim()),
                settings.getOrDefault(TOPIC_NAME_PREFIX, "dlq."), numPartitions);
    }
}
