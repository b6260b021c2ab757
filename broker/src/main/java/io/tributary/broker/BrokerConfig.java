package io.tributary.broker;

import io.tributary.broker.config.BrokerKeys;
import io.tributary.broker.config.ConfigKey;
import io.tributary.broker.config.ConfigParser;
import io.tributary.broker.config.ParsedConfig;
import io.tributary.delivery.group.GroupConfig;
import io.tributary.delivery.group.store.GroupStoreConfig;
import io.tributary.delivery.share.ShareBounds;
import io.tributary.delivery.share.ShareConfig;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
import io.tributary.log.CleanerConfig;
import io.tributary.log.LogManagerConfig;
import io.tributary.pipeline.PipelineConfig;
import io.tributary.pipeline.TransactionCleanerHints;
import io.tributary.spi.BrokerSettings;
import io.tributary.spi.CoreConfig;
import io.tributary.spi.ListenerConfig;
import io.tributary.transactions.HalfOutcome;
import io.tributary.transactions.HalfTransactionConfig;
import io.tributary.transactions.TransactionConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static io.tributary.broker.config.BrokerKeys.*;

/**
 * The broker's configuration: a Java properties file plus {@code --override} pairs, checked against
 * {@link BrokerKeys}, and the per-module configs derived from it.
 *
 * <p>A value that does not parse or validate fails construction with an {@link InvalidConfigException}
 * naming the key and what is allowed. An unknown key does not fail (Kafka ignores unknown keys too;
 * an adapter may read its own keys from {@link BrokerSettings#all()}); it is listed in
 * {@link #unknownKeys()} so the broker can log a warning naming it.
 */
public final class BrokerConfig {
    private static final ConfigParser PARSER = new ConfigParser(BrokerKeys.ALL);

    /** Broker key to the topic-level key of {@link LogConfig} it sets the default for. */
    private static final Map<ConfigKey, String> TOPIC_LEVEL = topicLevelKeys();

    private final ParsedConfig parsed;
    private final Set<String> explicitKeys;
    private final List<ListenerConfig> listeners;
    private final LogConfig logDefaults;

    private BrokerConfig(ParsedConfig parsed, Set<String> explicitKeys) {
        this.parsed = parsed;
        this.explicitKeys = Set.copyOf(explicitKeys);
        this.listeners = ListenerParser.parse(LISTENERS.name(), list(LISTENERS), ADVERTISED_LISTENERS.name(),
                parsed.isSet(ADVERTISED_LISTENERS) ? list(ADVERTISED_LISTENERS) : List.of(),
                LISTENER_SECURITY_PROTOCOL_MAP.name(), list(LISTENER_SECURITY_PROTOCOL_MAP));
        this.logDefaults = deriveLogDefaults();
    }

    /**
     * Reads {@code file} (a Java properties file, UTF-8), applies {@code overrides} on top, and parses.
     *
     * @throws IOException            if the file cannot be read
     * @throws InvalidConfigException if a value is invalid
     */
    public static BrokerConfig load(Path file, Map<String, String> overrides) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> supplied = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            supplied.put(name, properties.getProperty(name));
        }
        supplied.putAll(overrides);
        return of(supplied);
    }

    /**
     * Parses the given keys; absent keys take their defaults.
     *
     * @throws InvalidConfigException if a value is invalid
     */
    public static BrokerConfig of(Map<String, String> supplied) {
        return new BrokerConfig(PARSER.parse(supplied), supplied.keySet());
    }

    public int nodeId() {
        return (Integer) parsed.get(NODE_ID);
    }

    /** The listeners in configuration order, advertised addresses resolved. */
    public List<ListenerConfig> listeners() {
        return listeners;
    }

    /** The one data directory of {@code log.dirs}. */
    public Path logDir() {
        return Path.of(list(LOG_DIRS).get(0));
    }

    /** Topic defaults from the {@code log.*} keys and {@code message.max.bytes}. */
    public LogConfig logDefaults() {
        return logDefaults;
    }

    public LogManagerConfig logManagerConfig() {
        return LogManagerConfig.builder(logDir())
                .defaults(logDefaults)
                .retentionCheckIntervalMs(longValue(LOG_RETENTION_CHECK_INTERVAL_MS))
                .fileDeleteDelayMs(longValue(FILE_DELETE_DELAY_MS))
                .cleaner(new CleanerConfig((Boolean) parsed.get(LOG_CLEANER_ENABLE),
                        (Integer) parsed.get(LOG_CLEANER_THREADS), longValue(LOG_CLEANER_DEDUPE_BUFFER_SIZE),
                        (Double) parsed.get(LOG_CLEANER_IO_MAX_BYTES_PER_SECOND), longValue(LOG_CLEANER_BACKOFF_MS)))
                .cleanerHints(new TransactionCleanerHints())
                .scrubberEnable((Boolean) parsed.get(LOG_SCRUBBER_ENABLE))
                .scrubberBytesPerSecond(longValue(LOG_SCRUBBER_BYTES_PER_SECOND))
                .scrubberIntervalMs(longValue(LOG_SCRUBBER_INTERVAL_MS))
                .build();
    }

    public PipelineConfig pipelineConfig() {
        return PipelineConfig.builder()
                .ringSize((Integer) parsed.get(INGEST_RING_SIZE))
                .producerIdExpirationMs(longValue(PRODUCER_ID_EXPIRATION_MS))
                .stateDir(logDir())
                .build();
    }

    /** Every core service's configuration; {@code clusterId} comes from {@code meta.properties}. */
    public CoreConfig coreConfig(String clusterId) {
        return CoreConfig.builder(logManagerConfig(), settings(clusterId))
                .pipeline(pipelineConfig())
                .groups(groupConfig())
                .groupStore(new GroupStoreConfig((Integer) parsed.get(OFFSETS_TOPIC_SEGMENT_BYTES)))
                .readThreads((Integer) parsed.get(NUM_IO_THREADS))
                .shares(shareConfig())
                .transactions(transactionConfig())
                .halfTransactions(halfTransactionConfig())
                .build();
    }

    /** The group coordinator's settings, from the {@code group.*} and {@code offset*} keys. */
    public GroupConfig groupConfig() {
        @SuppressWarnings("unchecked")
        List<String> assignors = (List<String>) parsed.get(GROUP_CONSUMER_ASSIGNORS);
        return new GroupConfig(
                (Integer) parsed.get(GROUP_MIN_SESSION_TIMEOUT_MS),
                (Integer) parsed.get(GROUP_MAX_SESSION_TIMEOUT_MS),
                (Integer) parsed.get(GROUP_INITIAL_REBALANCE_DELAY_MS),
                (Integer) parsed.get(GROUP_MAX_SIZE),
                (Integer) parsed.get(OFFSETS_RETENTION_MINUTES) * 60_000L,
                longValue(OFFSETS_RETENTION_CHECK_INTERVAL_MS),
                (Integer) parsed.get(OFFSET_METADATA_MAX_BYTES),
                (Integer) parsed.get(GROUP_CONSUMER_SESSION_TIMEOUT_MS),
                (Integer) parsed.get(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS),
                assignors.get(0));
    }

    /**
     * The share-group engine's settings, from the {@code group.share.*} keys.
     *
     * @throws InvalidConfigException if a broker default lies outside its {@code group.share.min/max.*} bounds, or
     *                                a minimum above its maximum (Kafka 4.4 refuses to start then, with this message)
     */
    public ShareConfig shareConfig() {
        ShareBounds bounds = new ShareBounds(range(GROUP_SHARE_MIN_RECORD_LOCK_DURATION_MS,
                GROUP_SHARE_MAX_RECORD_LOCK_DURATION_MS), range(GROUP_SHARE_MIN_DELIVERY_COUNT_LIMIT,
                GROUP_SHARE_MAX_DELIVERY_COUNT_LIMIT), range(GROUP_SHARE_MIN_SESSION_TIMEOUT_MS,
                GROUP_SHARE_MAX_SESSION_TIMEOUT_MS), range(GROUP_SHARE_MIN_HEARTBEAT_INTERVAL_MS,
                GROUP_SHARE_MAX_HEARTBEAT_INTERVAL_MS), range(GROUP_SHARE_MIN_PARTITION_MAX_RECORD_LOCKS,
                GROUP_SHARE_MAX_PARTITION_MAX_RECORD_LOCKS), range(GROUP_SHARE_MIN_ASSIGNMENT_INTERVAL_MS,
                GROUP_SHARE_MAX_ASSIGNMENT_INTERVAL_MS));
        ShareConfig config = ShareConfig.defaults()
                .withRecordLockDurationMs((Integer) parsed.get(GROUP_SHARE_RECORD_LOCK_DURATION_MS))
                .withDeliveryCountLimit((Integer) parsed.get(GROUP_SHARE_DELIVERY_COUNT_LIMIT))
                .withMaxRecordLocks((Integer) parsed.get(GROUP_SHARE_PARTITION_MAX_RECORD_LOCKS))
                .withHeartbeatIntervalMs((Integer) parsed.get(GROUP_SHARE_HEARTBEAT_INTERVAL_MS))
                .withSessionTimeoutMs((Integer) parsed.get(GROUP_SHARE_SESSION_TIMEOUT_MS))
                .withMaxGroupSize((Integer) parsed.get(GROUP_SHARE_MAX_SIZE))
                .withBounds(bounds);
        String problem = bounds.invalid(config);
        if (problem != null) {
            throw new InvalidConfigException(problem.substring(0, problem.indexOf(' ')), problem);
        }
        return config;
    }

    private ShareBounds.Range range(ConfigKey min, ConfigKey max) {
        return new ShareBounds.Range((Integer) parsed.get(min), (Integer) parsed.get(max));
    }

    /** The transaction coordinator's settings, from the {@code transaction*} keys. */
    public TransactionConfig transactionConfig() {
        return new TransactionConfig(longValue(TRANSACTION_MAX_TIMEOUT_MS), longValue(TRANSACTION_ABORT_TIMED_OUT_INTERVAL_MS),
                longValue(TRANSACTIONAL_ID_EXPIRATION_MS),
                io.tributary.transactions.TransactionVersion.ofLevel((Integer) parsed.get(TRANSACTION_VERSION)));
    }

    /** The half-message coordinator's settings, from the {@code transaction.check.*} keys. */
    public HalfTransactionConfig halfTransactionConfig() {
        return new HalfTransactionConfig(longValue(TRANSACTION_CHECK_TIMEOUT_MS), longValue(TRANSACTION_CHECK_INTERVAL_MS),
                (Integer) parsed.get(TRANSACTION_CHECK_MAX),
                HalfOutcome.parse((String) parsed.get(TRANSACTION_CHECK_MAX_OUTCOME)),
                longValue(TRANSACTION_DECIDED_RETENTION_MS));
    }

    /** What protocol adapters get; {@code clusterId} comes from {@code meta.properties}. */
    public BrokerSettings settings(String clusterId) {
        return new BrokerSettings(nodeId(), clusterId, (Integer) parsed.get(NUM_PARTITIONS),
                (Boolean) parsed.get(AUTO_CREATE_TOPICS), (Integer) parsed.get(SOCKET_REQUEST_MAX_BYTES),
                longValue(CONNECTIONS_MAX_IDLE_MS), values(), explicitKeys);
    }

    /** Effective value of every key, defaults and unknown keys included, as strings. */
    public Map<String, String> values() {
        return parsed.strings();
    }

    /** Supplied keys the broker does not know; the broker logs a warning for each. */
    public List<String> unknownKeys() {
        return parsed.unknownKeys();
    }

    /** The known key an unknown one is probably a typo of, or {@code null}. */
    public static String suggestionFor(String unknownKey) {
        return PARSER.closestKey(unknownKey);
    }

    /** Effective segment age in ms: {@code log.roll.ms} if set, else {@code log.roll.hours}. */
    long rollMs() {
        if (parsed.isSet(LOG_ROLL_MS)) {
            return longValue(LOG_ROLL_MS);
        }
        return (Integer) parsed.get(LOG_ROLL_HOURS) * 3_600_000L;
    }

    /** Effective retention in ms, Kafka's precedence: ms, then minutes, then hours; negative means forever (-1). */
    long retentionMs() {
        long ms;
        if (parsed.isSet(LOG_RETENTION_MS)) {
            ms = longValue(LOG_RETENTION_MS);
        } else if (parsed.isSet(LOG_RETENTION_MINUTES)) {
            ms = (Integer) parsed.get(LOG_RETENTION_MINUTES) * 60_000L;
        } else {
            ms = (Integer) parsed.get(LOG_RETENTION_HOURS) * 3_600_000L;
        }
        return ms < 0 ? -1 : ms;
    }

    private LogConfig deriveLogDefaults() {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Map.Entry<ConfigKey, String> e : TOPIC_LEVEL.entrySet()) {
            overrides.put(e.getValue(), parsed.strings().get(e.getKey().name()));
        }
        overrides.put(LogConfig.SEGMENT_MS, Long.toString(rollMs()));
        overrides.put(LogConfig.RETENTION_MS, Long.toString(retentionMs()));
        try {
            return LogConfig.defaults().withOverrides(overrides);
        } catch (InvalidConfigException e) {
            // Re-issued under the broker key the user wrote, keeping LogConfig's description of what is allowed.
            String message = e.getMessage();
            int allowedAt = message.indexOf("must be ");
            String allowed = allowedAt < 0 ? "valid as topic-level " + e.key() : message.substring(allowedAt + 8);
            throw new InvalidConfigException(brokerKeyFor(e.key()), overrides.get(e.key()), allowed);
        }
    }

    private static String brokerKeyFor(String topicKey) {
        if (topicKey.equals(LogConfig.SEGMENT_MS)) {
            return LOG_ROLL_MS.name() + " / " + LOG_ROLL_HOURS.name();
        }
        if (topicKey.equals(LogConfig.RETENTION_MS)) {
            return LOG_RETENTION_MS.name() + " / " + LOG_RETENTION_MINUTES.name() + " / " + LOG_RETENTION_HOURS.name();
        }
        for (Map.Entry<ConfigKey, String> e : TOPIC_LEVEL.entrySet()) {
            if (e.getValue().equals(topicKey)) {
                return e.getKey().name();
            }
        }
        return topicKey;
    }

    private static Map<ConfigKey, String> topicLevelKeys() {
        Map<ConfigKey, String> map = new LinkedHashMap<>();
        map.put(LOG_SEGMENT_BYTES, LogConfig.SEGMENT_BYTES);
        map.put(LOG_RETENTION_BYTES, LogConfig.RETENTION_BYTES);
        map.put(LOG_FLUSH_POLICY, LogConfig.FLUSH_POLICY);
        map.put(LOG_FLUSH_INTERVAL_MS, LogConfig.FLUSH_MS);
        map.put(LOG_INDEX_INTERVAL_BYTES, LogConfig.INDEX_INTERVAL_BYTES);
        map.put(MESSAGE_MAX_BYTES, LogConfig.MAX_MESSAGE_BYTES);
        map.put(LOG_MESSAGE_TIMESTAMP_TYPE, LogConfig.MESSAGE_TIMESTAMP_TYPE);
        map.put(LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
        map.put(LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS, LogConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS);
        map.put(LOG_CLEANUP_POLICY, LogConfig.CLEANUP_POLICY);
        map.put(LOG_CLEANER_DELETE_RETENTION_MS, LogConfig.DELETE_RETENTION_MS);
        map.put(LOG_CLEANER_MIN_CLEANABLE_RATIO, LogConfig.MIN_CLEANABLE_DIRTY_RATIO);
        map.put(LOG_CLEANER_MIN_COMPACTION_LAG_MS, LogConfig.MIN_COMPACTION_LAG_MS);
        map.put(LOG_CLEANER_MAX_COMPACTION_LAG_MS, LogConfig.MAX_COMPACTION_LAG_MS);
        return map;
    }

    @SuppressWarnings("unchecked")
    private List<String> list(ConfigKey key) {
        return (List<String>) parsed.get(key);
    }

    private long longValue(ConfigKey key) {
        return ((Number) parsed.get(key)).longValue();
    }
}
