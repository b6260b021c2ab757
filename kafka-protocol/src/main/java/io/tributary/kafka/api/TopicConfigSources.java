package io.tributary.kafka.api;

import io.tributary.log.LogConfig;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a topic config's value comes from, in Kafka's terms: set on the topic
 * ({@code DYNAMIC_TOPIC_CONFIG}), else set in the broker's configuration under one of its broker
 * synonyms ({@code STATIC_BROKER_CONFIG}, e.g. {@code log.retention.hours} for
 * {@code retention.ms}), else the built-in default ({@code DEFAULT_CONFIG}). "Set in the broker's
 * configuration" means written in the file or given as an override, even at the default value, as
 * Kafka counts it. Shared by CreateTopics and DescribeConfigs so both report the same source.
 */
public final class TopicConfigSources {
    /** Broker keys that supply each topic config's default, most specific first. */
    private static final Map<String, List<String>> BROKER_SYNONYMS = Map.ofEntries(
            Map.entry(LogConfig.SEGMENT_BYTES, List.of("log.segment.bytes")),
            Map.entry(LogConfig.SEGMENT_MS, List.of("log.roll.ms", "log.roll.hours")),
            Map.entry(LogConfig.RETENTION_BYTES, List.of("log.retention.bytes")),
            Map.entry(LogConfig.RETENTION_MS, List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours")),
            Map.entry(LogConfig.FLUSH_POLICY, List.of("log.flush.policy")),
            Map.entry(LogConfig.FLUSH_MS, List.of("log.flush.interval.ms")),
            Map.entry(LogConfig.INDEX_INTERVAL_BYTES, List.of("log.index.interval.bytes")),
            Map.entry(LogConfig.MAX_MESSAGE_BYTES, List.of("message.max.bytes")),
            Map.entry(LogConfig.MESSAGE_TIMESTAMP_TYPE, List.of("log.message.timestamp.type")),
            Map.entry(LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, List.of("log.message.timestamp.before.max.ms")),
            Map.entry(LogConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS, List.of("log.message.timestamp.after.max.ms")),
            Map.entry(LogConfig.CLEANUP_POLICY, List.of("log.cleanup.policy")),
            Map.entry(LogConfig.MIN_INSYNC_REPLICAS, List.of("min.insync.replicas")),
            Map.entry(LogConfig.COMPRESSION_TYPE, List.of("compression.type")));

    private TopicConfigSources() {
    }

    /** The broker keys that set {@code topicKey}'s default, most specific first; empty if none. */
    public static List<String> brokerSynonyms(String topicKey) {
        return BROKER_SYNONYMS.getOrDefault(topicKey, List.of());
    }

    /** The broker synonyms of {@code topicKey} that were set explicitly, most specific first. */
    public static List<String> explicitBrokerSynonyms(String topicKey, Set<String> explicitBrokerKeys) {
        return brokerSynonyms(topicKey).stream().filter(explicitBrokerKeys::contains).toList();
    }

    /** The source Kafka would report for {@code topicKey} of a topic with these overrides. */
    public static ConfigSource source(String topicKey, Map<String, String> topicOverrides,
                                      Set<String> explicitBrokerKeys) {
        if (topicOverrides.containsKey(topicKey)) {
            return ConfigSource.TOPIC_CONFIG;
        }
        return explicitBrokerSynonyms(topicKey, explicitBrokerKeys).isEmpty()
                ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG;
    }
}
