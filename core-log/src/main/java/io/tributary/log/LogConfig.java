package io.tributary.log;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Per-topic storage settings, immutable. Keys are Kafka's topic-level names; the broker supplies
 * the defaults from its own {@code log.*} keys and a topic may override any of them.
 *
 * <p>{@link #withOverrides(Map)} validates every override and throws {@link InvalidConfigException}
 * naming the key and what is allowed.
 */
public final class LogConfig {
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String FLUSH_POLICY = "flush.policy";
    public static final String FLUSH_MS = "flush.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    /** How far before the broker's clock a CreateTime timestamp may be (Kafka 3.6+). */
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    /** How far after the broker's clock a CreateTime timestamp may be (Kafka 3.6+; default 1 h since 4.0). */
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";

    public static final String CLEANUP_POLICY = "cleanup.policy";
    /** How long a tombstone stays in a compacted topic once the cleaner has passed over it. */
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    /** Share of a compacted partition's bytes not yet cleaned at which the cleaner takes it. */
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    /** Age below which a record is never compacted away. */
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    /** Age after which a record is cleanable whatever the dirty ratio. */
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String COMPRESSION_TYPE = "compression.type";
    /**
     * Whether share groups may write dead letters to the topic (KIP-1191; Kafka's name, default false). Not a
     * storage setting: kept among the topic's overrides for the delivery engine to read.
     */
    public static final String DEAD_LETTER_QUEUE_GROUP_ENABLE = "errors.deadletterqueue.group.enable";

    /**
     * Kafka topic configs whose behaviour Tributary has only one of, with that one value: one node
     * is the whole in-sync set; batches are stored as the producer compressed them. Clients and tools (Kafka Streams, Connect, Terraform providers) set
     * these keys explicitly, so each is accepted at its one value and refused at any other, with a
     * message saying what is supported.
     */
    public static final Map<String, String> SINGLE_VALUED = Map.of(
            MIN_INSYNC_REPLICAS, "1", COMPRESSION_TYPE, "producer");

    /** Every topic-level key this class understands. */
    public static final Set<String> KEYS = Set.of(SEGMENT_BYTES, SEGMENT_MS, RETENTION_BYTES, RETENTION_MS,
            FLUSH_POLICY, FLUSH_MS, INDEX_INTERVAL_BYTES, MAX_MESSAGE_BYTES, MESSAGE_TIMESTAMP_TYPE,
            MESSAGE_TIMESTAMP_BEFORE_MAX_MS, MESSAGE_TIMESTAMP_AFTER_MAX_MS,
            CLEANUP_POLICY, DELETE_RETENTION_MS, MIN_CLEANABLE_DIRTY_RATIO, MIN_COMPACTION_LAG_MS,
            MAX_COMPACTION_LAG_MS, MIN_INSYNC_REPLICAS, COMPRESSION_TYPE, DEAD_LETTER_QUEUE_GROUP_ENABLE);

    /** Smallest segment size accepted, as in Kafka (header of a batch plus some room). */
    public static final int MIN_SEGMENT_BYTES = 14;

    private static final LogConfig DEFAULTS = new LogConfig(
            1 << 30, 7L * 24 * 3600 * 1000, -1L, 7L * 24 * 3600 * 1000,
            FlushPolicy.ASYNC, 1000L, 4096, 1024 * 1024 + 12, TimestampType.CREATE_TIME, Long.MAX_VALUE, 3_600_000L,
            new Compaction(CleanupPolicy.DELETE, 24L * 3600 * 1000, 0.5, 0L, Long.MAX_VALUE));

    /** The compaction settings, kept together so the constructor stays readable. */
    private record Compaction(CleanupPolicy policy, long deleteRetentionMs, double minCleanableDirtyRatio,
                              long minCompactionLagMs, long maxCompactionLagMs) {
    }

    private final int segmentBytes;
    private final long segmentMs;
    private final long retentionBytes;
    private final long retentionMs;
    private final FlushPolicy flushPolicy;
    private final long flushMs;
    private final int indexIntervalBytes;
    private final int maxMessageBytes;
    private final TimestampType timestampType;
    private final long timestampBeforeMaxMs;
    private final long timestampAfterMaxMs;
    private final Compaction compaction;
    private final boolean deadLetterQueueGroupEnable;

    private LogConfig(int segmentBytes, long segmentMs, long retentionBytes, long retentionMs,
                      FlushPolicy flushPolicy, long flushMs, int indexIntervalBytes, int maxMessageBytes,
                      TimestampType timestampType, long timestampBeforeMaxMs, long timestampAfterMaxMs,
                      Compaction compaction) {
        this(segmentBytes, segmentMs, retentionBytes, retentionMs, flushPolicy, flushMs, indexIntervalBytes,
                maxMessageBytes, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compaction, false);
    }

    private LogConfig(int segmentBytes, long segmentMs, long retentionBytes, long retentionMs,
                      FlushPolicy flushPolicy, long flushMs, int indexIntervalBytes, int maxMessageBytes,
                      TimestampType timestampType, long timestampBeforeMaxMs, long timestampAfterMaxMs,
                      Compaction compaction, boolean deadLetterQueueGroupEnable) {
        this.deadLetterQueueGroupEnable = deadLetterQueueGroupEnable;
        this.segmentBytes = segmentBytes;
        this.segmentMs = segmentMs;
        this.retentionBytes = retentionBytes;
        this.retentionMs = retentionMs;
        this.flushPolicy = flushPolicy;
        this.flushMs = flushMs;
        this.indexIntervalBytes = indexIntervalBytes;
        this.maxMessageBytes = maxMessageBytes;
        this.timestampType = timestampType;
        this.timestampBeforeMaxMs = timestampBeforeMaxMs;
        this.timestampAfterMaxMs = timestampAfterMaxMs;
        this.compaction = compaction;
    }

    /** Tributary's built-in defaults (the same values Kafka ships, plus {@code flush.policy=async}). */
    public static LogConfig defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with the given topic-level keys applied on top of this one.
     *
     * @throws InvalidConfigException for an unknown key or a value out of range
     */
    public LogConfig withOverrides(Map<String, String> overrides) {
        int segmentBytes = this.segmentBytes;
        long segmentMs = this.segmentMs;
        long retentionBytes = this.retentionBytes;
        long retentionMs = this.retentionMs;
        FlushPolicy flushPolicy = this.flushPolicy;
        long flushMs = this.flushMs;
        int indexIntervalBytes = this.indexIntervalBytes;
        int maxMessageBytes = this.maxMessageBytes;
        TimestampType timestampType = this.timestampType;
        boolean deadLetterQueueGroupEnable = this.deadLetterQueueGroupEnable;
        long timestampBeforeMaxMs = this.timestampBeforeMaxMs;
        long timestampAfterMaxMs = this.timestampAfterMaxMs;
        CleanupPolicy cleanupPolicy = compaction.policy();
        long deleteRetentionMs = compaction.deleteRetentionMs();
        double minCleanableDirtyRatio = compaction.minCleanableDirtyRatio();
        long minCompactionLagMs = compaction.minCompactionLagMs();
        long maxCompactionLagMs = compaction.maxCompactionLagMs();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            switch (key) {
                case SEGMENT_BYTES -> segmentBytes = (int) parseLong(key, value, MIN_SEGMENT_BYTES, Integer.MAX_VALUE);
                case SEGMENT_MS -> segmentMs = parseLong(key, value, 1, Long.MAX_VALUE);
                case RETENTION_BYTES -> retentionBytes = parseLong(key, value, -1, Long.MAX_VALUE);
                case RETENTION_MS -> retentionMs = parseLong(key, value, -1, Long.MAX_VALUE);
                case FLUSH_POLICY -> {
                    try {
                        flushPolicy = FlushPolicy.parse(value);
                    } catch (IllegalArgumentException ex) {
                        throw new InvalidConfigException(key, value, "one of [sync, async]");
                    }
                }
                case FLUSH_MS -> flushMs = parseLong(key, value, 1, Long.MAX_VALUE);
                case INDEX_INTERVAL_BYTES -> indexIntervalBytes = (int) parseLong(key, value, 0, Integer.MAX_VALUE);
                case MAX_MESSAGE_BYTES -> maxMessageBytes = (int) parseLong(key, value, 0, Integer.MAX_VALUE);
                case MESSAGE_TIMESTAMP_TYPE -> {
                    try {
                        timestampType = TimestampType.parse(value);
                    } catch (IllegalArgumentException ex) {
                        throw new InvalidConfigException(key, value, "one of [CreateTime, LogAppendTime]");
                    }
                }
                case MESSAGE_TIMESTAMP_BEFORE_MAX_MS -> timestampBeforeMaxMs = parseLong(key, value, 0, Long.MAX_VALUE);
                case MESSAGE_TIMESTAMP_AFTER_MAX_MS -> timestampAfterMaxMs = parseLong(key, value, 0, Long.MAX_VALUE);
                case CLEANUP_POLICY -> {
                    try {
                        cleanupPolicy = CleanupPolicy.parse(value);
                    } catch (IllegalArgumentException ex) {
                        throw new InvalidConfigException(key, value, "a list of [delete, compact]");
                    }
                }
                case DELETE_RETENTION_MS -> deleteRetentionMs = parseLong(key, value, 0, Long.MAX_VALUE);
                case MIN_CLEANABLE_DIRTY_RATIO -> minCleanableDirtyRatio = parseRatio(key, value);
                case MIN_COMPACTION_LAG_MS -> minCompactionLagMs = parseLong(key, value, 0, Long.MAX_VALUE);
                case MAX_COMPACTION_LAG_MS -> maxCompactionLagMs = parseLong(key, value, 1, Long.MAX_VALUE);
                case MIN_INSYNC_REPLICAS, COMPRESSION_TYPE -> {
                    String only = SINGLE_VALUED.get(key);
                    if (!only.equalsIgnoreCase(value)) {
                        throw new InvalidConfigException(key, value, "'" + only + "': the only " + key
                                + " Tributary supports yet");
                    }
                }
                case DEAD_LETTER_QUEUE_GROUP_ENABLE -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new InvalidConfigException(key, value, "true or false");
                    }
                    deadLetterQueueGroupEnable = value.equalsIgnoreCase("true");
                }
                default -> throw new InvalidConfigException(key, value, "a topic config, one of " + KEYS);
            }
        }
        if (minCompactionLagMs > maxCompactionLagMs) {
            throw new InvalidConfigException(MAX_COMPACTION_LAG_MS, Long.toString(maxCompactionLagMs),
                    "at least " + MIN_COMPACTION_LAG_MS + " (" + minCompactionLagMs + ")");
        }
        return new LogConfig(segmentBytes, segmentMs, retentionBytes, retentionMs, flushPolicy, flushMs,
                indexIntervalBytes, maxMessageBytes, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                new Compaction(cleanupPolicy, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                        maxCompactionLagMs), deadLetterQueueGroupEnable);
    }

    private static double parseRatio(String key, String value) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, value, "a number in [0, 1]");
        }
        if (!(parsed >= 0 && parsed <= 1)) {
            throw new InvalidConfigException(key, value, "a number in [0, 1]");
        }
        return parsed;
    }

    private static long parseLong(String key, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, value, "an integer in [" + min + ", " + max + "]");
        }
        if (parsed < min || parsed > max) {
            throw new InvalidConfigException(key, value, "an integer in [" + min + ", " + max + "]");
        }
        return parsed;
    }

    /** All settings as topic-level key/value strings, in a stable order. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        map.put(SEGMENT_MS, Long.toString(segmentMs));
        map.put(RETENTION_BYTES, Long.toString(retentionBytes));
        map.put(RETENTION_MS, Long.toString(retentionMs));
        map.put(FLUSH_POLICY, flushPolicy.configValue());
        map.put(FLUSH_MS, Long.toString(flushMs));
        map.put(INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes));
        map.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        map.put(MESSAGE_TIMESTAMP_TYPE, timestampType.configValue());
        map.put(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, Long.toString(timestampBeforeMaxMs));
        map.put(MESSAGE_TIMESTAMP_AFTER_MAX_MS, Long.toString(timestampAfterMaxMs));
        map.put(CLEANUP_POLICY, compaction.policy().configValue());
        map.put(DELETE_RETENTION_MS, Long.toString(compaction.deleteRetentionMs()));
        map.put(MIN_CLEANABLE_DIRTY_RATIO, Double.toString(compaction.minCleanableDirtyRatio()));
        map.put(MIN_COMPACTION_LAG_MS, Long.toString(compaction.minCompactionLagMs()));
        map.put(MAX_COMPACTION_LAG_MS, Long.toString(compaction.maxCompactionLagMs()));
        map.putAll(new java.util.TreeMap<>(SINGLE_VALUED));
        map.put(DEAD_LETTER_QUEUE_GROUP_ENABLE, Boolean.toString(deadLetterQueueGroupEnable));
        return map;
    }

    /** Whether share groups may write dead letters to the topic ({@value #DEAD_LETTER_QUEUE_GROUP_ENABLE}). */
    public boolean deadLetterQueueGroupEnable() {
        return deadLetterQueueGroupEnable;
    }

    /** Segment file size at which the active segment rolls. */
    public int segmentBytes() {
        return segmentBytes;
    }

    /** Age of the active segment's first append after which it rolls. */
    public long segmentMs() {
        return segmentMs;
    }

    /** Size a partition is trimmed to by deleting whole old segments; -1 means no limit. */
    public long retentionBytes() {
        return retentionBytes;
    }

    /** Age of a segment's newest record after which it is deleted; -1 means forever. */
    public long retentionMs() {
        return retentionMs;
    }

    public FlushPolicy flushPolicy() {
        return flushPolicy;
    }

    /** Interval of the periodic flusher for {@link FlushPolicy#ASYNC} topics. */
    public long flushMs() {
        return flushMs;
    }

    /** Bytes appended between two entries of the sparse offset and time indexes. */
    public int indexIntervalBytes() {
        return indexIntervalBytes;
    }

    /** Largest record batch accepted, in bytes. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public TimestampType timestampType() {
        return timestampType;
    }

    /**
     * Largest age, against the broker's clock, of a record's CreateTime timestamp; older records
     * are refused (INVALID_TIMESTAMP). Not applied to LogAppendTime topics.
     */
    public long timestampBeforeMaxMs() {
        return timestampBeforeMaxMs;
    }

    /** Largest lead, against the broker's clock, of a record's CreateTime timestamp; see {@link #timestampBeforeMaxMs()}. */
    public long timestampAfterMaxMs() {
        return timestampAfterMaxMs;
    }

    /** {@code cleanup.policy}: whether retention deletes old segments, the cleaner compacts them, or both. */
    public CleanupPolicy cleanupPolicy() {
        return compaction.policy();
    }

    /**
     * {@code delete.retention.ms}: how long a tombstone (a record with a null value) stays once
     * the cleaner has passed over it, so that consumers behind can still see the delete.
     */
    public long deleteRetentionMs() {
        return compaction.deleteRetentionMs();
    }

    /** {@code min.cleanable.dirty.ratio}: dirty bytes over cleanable bytes at which the cleaner takes the partition. */
    public double minCleanableDirtyRatio() {
        return compaction.minCleanableDirtyRatio();
    }

    /** {@code min.compaction.lag.ms}: segments with records younger than this are not cleaned. */
    public long minCompactionLagMs() {
        return compaction.minCompactionLagMs();
    }

    /**
     * {@code max.compaction.lag.ms}: a record older than this is cleanable whatever the dirty
     * ratio; the active segment of a compacted topic also rolls at this age.
     */
    public long maxCompactionLagMs() {
        return compaction.maxCompactionLagMs();
    }

    @Override
    public String toString() {
        return "LogConfig" + toMap();
    }
}
