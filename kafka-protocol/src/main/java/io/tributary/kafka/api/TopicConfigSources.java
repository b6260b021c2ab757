package io.tributary.kafka.api;

import io.tributary.log.LogConfig;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a topic config's value comes from, in Kafka's terms, and the broker synonyms Kafka lists for it.
 * Shared by CreateTopics and DescribeConfigs so both report the same source.
 *
 * <p>Kafka's rule: each topic config has a primary broker key ({@code log.retention.ms} for
 * {@code retention.ms}) and that key's alternatives ({@code log.retention.minutes},
 * {@code log.retention.hours}). The synonym list is every key of that family set in the broker's
 * configuration ({@code STATIC_BROKER_CONFIG}), then every key of it that has a built-in default
 * ({@code DEFAULT_CONFIG}), each group in family order, and then everything before the first entry
 * named as the primary key is dropped. So {@code log.retention.hours=168} alone lists nothing: the
 * value is reported as {@code DEFAULT_CONFIG} although it comes from the hours key. The source is the
 * topic's override ({@code DYNAMIC_TOPIC_CONFIG}), else the first synonym's, else {@code DEFAULT_CONFIG};
 * a key written at its default value still counts as set.
 */
public final class TopicConfigSources {
    /** A broker key in a topic config's synonym list, with the source Kafka reports it under. */
    public record BrokerSynonym(String name, ConfigSource source) {
    }

    /** Broker keys that supply each topic config's default: the primary key first, then its alternatives. */
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
            Map.entry(LogConfig.DELETE_RETENTION_MS, List.of("log.cleaner.delete.retention.ms")),
            Map.entry(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, List.of("log.cleaner.min.cleanable.ratio")),
            Map.entry(LogConfig.MIN_COMPACTION_LAG_MS, List.of("log.cleaner.min.compaction.lag.ms")),
            Map.entry(LogConfig.MAX_COMPACTION_LAG_MS, List.of("log.cleaner.max.compaction.lag.ms")),
            Map.entry(LogConfig.MIN_INSYNC_REPLICAS, List.of("min.insync.replicas")),
            Map.entry(LogConfig.COMPRESSION_TYPE, List.of("compression.type")));

    /** Broker keys without a built-in default in Kafka: they are listed only when set. */
    private static final Set<String> NO_DEFAULT = Set.of("log.retention.ms", "log.retention.minutes", "log.roll.ms");

    /** Broker keys in hours whose topic config is in milliseconds. */
    private static final Set<String> IN_HOURS = Set.of("log.retention.hours", "log.roll.hours");

    private static final long MS_PER_HOUR = 3_600_000L;

    private TopicConfigSources() {
    }

    /** The broker keys that set {@code topicKey}'s default, primary key first; empty if none. */
    public static List<String> brokerSynonyms(String topicKey) {
        return BROKER_SYNONYMS.getOrDefault(topicKey, List.of());
    }

    /**
     * The broker synonyms Kafka lists for {@code topicKey} (after its topic override, if any), in
     * Kafka's order: set keys, then defaulted keys, starting at the primary key; empty when the primary
     * key is neither set nor has a default.
     */
    public static List<BrokerSynonym> brokerSynonymChain(String topicKey, Set<String> explicitBrokerKeys) {
        List<String> family = brokerSynonyms(topicKey);
        List<BrokerSynonym> chain = new ArrayList<>();
        for (String key : family) {
            if (explicitBrokerKeys.contains(key)) {
                chain.add(new BrokerSynonym(key, ConfigSource.STATIC_BROKER_CONFIG));
            }
        }
        for (String key : family) {
            if (!NO_DEFAULT.contains(key)) {
                chain.add(new BrokerSynonym(key, ConfigSource.DEFAULT_CONFIG));
            }
        }
        int primary = 0;
        while (primary < chain.size() && !chain.get(primary).name().equals(family.get(0))) {
            primary++;
        }
        return List.copyOf(chain.subList(primary, chain.size()));
    }

    /**
     * The built-in default of broker key {@code brokerKey}, given its topic config's built-in
     * {@code topicDefault}: the same value, or converted to hours for an hours key.
     */
    public static String brokerDefault(String brokerKey, String topicDefault) {
        return IN_HOURS.contains(brokerKey) ? Long.toString(Long.parseLong(topicDefault) / MS_PER_HOUR) : topicDefault;
    }

    /** The source Kafka would report for {@code topicKey} of a topic with these overrides. */
    public static ConfigSource source(String topicKey, Map<String, String> topicOverrides,
                                      Set<String> explicitBrokerKeys) {
        if (topicOverrides.containsKey(topicKey)) {
            return ConfigSource.TOPIC_CONFIG;
        }
        List<BrokerSynonym> chain = brokerSynonymChain(topicKey, explicitBrokerKeys);
        return chain.isEmpty() ? ConfigSource.DEFAULT_CONFIG : chain.get(0).source();
    }
}
