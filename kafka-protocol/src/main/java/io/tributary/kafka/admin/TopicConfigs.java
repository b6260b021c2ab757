package io.tributary.kafka.admin;

import io.tributary.kafka.api.TopicConfigSources;
import io.tributary.kafka.api.TopicConfigSources.BrokerSynonym;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import io.tributary.log.UnknownTopicException;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Topic configs as Kafka's config APIs see them: every {@link LogConfig} key with its value and
 * where it comes from, and replacing a topic's overrides with the checks Kafka makes.
 *
 * <p>Source of a value, as Kafka reports it: the topic's own override is {@code TOPIC_CONFIG}
 * (Kafka's DYNAMIC_TOPIC_CONFIG), followed in the synonyms by the broker keys Kafka lists
 * ({@link TopicConfigSources#brokerSynonymChain}); the first of those gives the source when there is no
 * override, and none gives {@code DEFAULT_CONFIG}. Tributary has no dynamic broker configs, so no
 * DYNAMIC_BROKER sources appear.
 */
final class TopicConfigs {
    private static final Logger LOG = LoggerFactory.getLogger(TopicConfigs.class);

    /** Per key: value type and documentation (its broker synonyms are {@link TopicConfigSources}'). */
    private record Key(ConfigType type, String doc) {
    }

    private static final Map<String, Key> KEYS = Map.ofEntries(
            Map.entry(LogConfig.SEGMENT_BYTES, new Key(ConfigType.INT,
                    "Size in bytes at which the active segment file is closed and a new one started.")),
            Map.entry(LogConfig.SEGMENT_MS, new Key(ConfigType.LONG,
                    "Age in milliseconds after which the active segment is rolled even if not full.")),
            Map.entry(LogConfig.RETENTION_BYTES, new Key(ConfigType.LONG,
                    "Largest size in bytes a partition keeps before its oldest segments are deleted; -1 for no limit.")),
            Map.entry(LogConfig.RETENTION_MS, new Key(ConfigType.LONG,
                    "How long in milliseconds segments are kept before deletion; -1 keeps them forever.")),
            Map.entry(LogConfig.FLUSH_POLICY, new Key(ConfigType.STRING,
                    "Tributary's durability policy: sync forces data to disk before acknowledging (group commit); "
                            + "async forces it every flush.ms.")),
            Map.entry(LogConfig.FLUSH_MS, new Key(ConfigType.LONG,
                    "Interval in milliseconds of the periodic fsync of async topics.")),
            Map.entry(LogConfig.INDEX_INTERVAL_BYTES, new Key(ConfigType.INT,
                    "Bytes of batches between two entries of the sparse offset index.")),
            Map.entry(LogConfig.MAX_MESSAGE_BYTES, new Key(ConfigType.INT,
                    "Largest record batch in bytes the topic accepts.")),
            Map.entry(LogConfig.MESSAGE_TIMESTAMP_TYPE, new Key(ConfigType.STRING,
                    "CreateTime keeps the producer's timestamps; LogAppendTime stamps the broker's time on append.")),
            Map.entry(LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, new Key(ConfigType.LONG, "Largest age in milliseconds of a CreateTime record timestamp against the "
                            + "broker's clock; older records are refused with INVALID_TIMESTAMP.")),
            Map.entry(LogConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS, new Key(ConfigType.LONG, "Largest lead in milliseconds of a CreateTime record timestamp over the "
                            + "broker's clock; later records are refused with INVALID_TIMESTAMP.")),
            Map.entry(LogConfig.CLEANUP_POLICY, new Key(ConfigType.LIST,
                    "What happens to old segments: delete (retention), compact (the latest record of each key is "
                            + "kept) or both.")),
            Map.entry(LogConfig.DELETE_RETENTION_MS, new Key(ConfigType.LONG,
                    "How long a tombstone stays in a compacted topic after the cleaner first passed over it.")),
            Map.entry(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, new Key(ConfigType.DOUBLE,
                    "Share of a compacted partition's bytes not yet cleaned at which the cleaner takes it.")),
            Map.entry(LogConfig.MIN_COMPACTION_LAG_MS, new Key(ConfigType.LONG,
                    "Records younger than this are never compacted away.")),
            Map.entry(LogConfig.MAX_COMPACTION_LAG_MS, new Key(ConfigType.LONG,
                    "Records older than this are cleanable whatever the dirty ratio.")),
            Map.entry(LogConfig.MIN_INSYNC_REPLICAS, new Key(ConfigType.INT,
                    "One node is the whole in-sync set, so 1 is the only value.")),
            Map.entry(LogConfig.COMPRESSION_TYPE, new Key(ConfigType.STRING,
                    "Batches are stored as the producer compressed them (the only value: producer).")),
            Map.entry(LogConfig.DEAD_LETTER_QUEUE_GROUP_ENABLE, new Key(ConfigType.BOOLEAN,
                    "Whether share groups may use the topic as their dead-letter topic (KIP-1191).")));

    private final LogManager log;
    private final BrokerSettings settings;

    TopicConfigs(LogManager log, BrokerSettings settings) {
        this.log = log;
        this.settings = settings;
    }

    /** An illegal topic name as Kafka answers it (INVALID_TOPIC_EXCEPTION), else {@link ConfigError#NONE}. */
    static ConfigError checkName(String name) {
        try {
            org.apache.kafka.common.internals.Topic.validate(name);
            return ConfigError.NONE;
        } catch (InvalidTopicException e) {
            return new ConfigError(Errors.INVALID_TOPIC_EXCEPTION, e.getMessage());
        }
    }

    Optional<Topic> topic(String name) {
        return log.topic(name);
    }

    /**
     * The topic's configs, or only those named in {@code keys} when it is non-empty (unknown names
     * are skipped, as Kafka does).
     */
    List<DescribeConfigsResourceResult> describe(Topic topic, Collection<String> keys, boolean synonyms,
                                                 boolean documentation) {
        Map<String, String> overrides = topic.configOverrides();
        Map<String, String> brokerDefaults = log.defaultConfig().toMap();
        Map<String, String> builtIn = LogConfig.defaults().toMap();
        List<DescribeConfigsResourceResult> results = new ArrayList<>();
        for (Map.Entry<String, String> e : topic.config().toMap().entrySet()) {
            String name = e.getKey();
            if (keys != null && !keys.isEmpty() && !keys.contains(name)) {
                continue;
            }
            Key key = KEYS.get(name);
            List<DescribeConfigsSynonym> chain = new ArrayList<>();
            if (overrides.containsKey(name)) {
                chain.add(synonym(name, e.getValue(), ConfigSource.TOPIC_CONFIG));
            }
            for (BrokerSynonym broker : TopicConfigSources.brokerSynonymChain(name, settings.explicitKeys())) {
                String value = broker.source() == ConfigSource.STATIC_BROKER_CONFIG
                        ? settings.all().getOrDefault(broker.name(), brokerDefaults.get(name))
                        : TopicConfigSources.brokerDefault(broker.name(), builtIn.get(name));
                chain.add(synonym(broker.name(), value, broker.source()));
            }
            results.add(new DescribeConfigsResourceResult().setName(name).setValue(e.getValue())
                    .setReadOnly(false).setIsSensitive(false)
                    .setConfigSource(chain.isEmpty() ? ConfigSource.DEFAULT_CONFIG.id() : chain.get(0).source())
                    .setSynonyms(synonyms ? chain : new ArrayList<>())
                    .setConfigType((key == null ? ConfigType.UNKNOWN : key.type()).id())
                    .setDocumentation(documentation && key != null ? key.doc() : null));
        }
        return results;
    }

    private static DescribeConfigsSynonym synonym(String name, String value, ConfigSource source) {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id());
    }

    /**
     * Resolves the topic of an alter request: an empty name INVALID_REQUEST, an illegal one
     * INVALID_TOPIC_EXCEPTION, an unknown one UNKNOWN_TOPIC_OR_PARTITION.
     */
    ConfigError checkAlterable(String name) {
        if (name == null || name.isEmpty()) {
            return new ConfigError(Errors.INVALID_REQUEST, "Default topic resources are not allowed.");
        }
        ConfigError invalid = checkName(name);
        if (invalid.isError()) {
            return invalid;
        }
        if (log.topic(name).isEmpty()) {
            return new ConfigError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
        }
        return ConfigError.NONE;
    }

    /** Whether {@code name} is a topic config this broker knows. */
    static boolean isKnown(String name) {
        return LogConfig.KEYS.contains(name);
    }

    /**
     * Replaces the overrides of an existing topic (checked by {@link #checkAlterable}) with
     * {@code overrides}, or only validates them. An unknown key or a bad value is INVALID_CONFIG with
     * a message naming the key.
     */
    ConfigError replace(String topic, Map<String, String> overrides, boolean validateOnly) {
        for (String key : overrides.keySet()) {
            if (!isKnown(key)) {
                return new ConfigError(Errors.INVALID_CONFIG, "Unknown topic config name: " + key);
            }
        }
        try {
            log.defaultConfig().withOverrides(overrides);
            if (!validateOnly) {
                log.alterTopicConfig(topic, overrides);
                LOG.info("Topic {} config overrides set to {} at a client's request", topic, overrides);
            }
            return ConfigError.NONE;
        } catch (InvalidConfigException e) {
            return new ConfigError(Errors.INVALID_CONFIG, e.getMessage());
        } catch (UnknownTopicException e) {
            return new ConfigError(Errors.UNKNOWN_TOPIC_OR_PARTITION, e.getMessage());
        } catch (UncheckedIOException e) {
            LOG.error("Cannot alter the config of topic {}", topic, e);
            return new ConfigError(Errors.KAFKA_STORAGE_ERROR, e.getMessage());
        }
    }
}
