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
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String COMPRESSION_TYPE = "compression.type";

    /**
     * Kafka topic configs whose behaviour Tributary has only one of, with that one value: segments
     * are deleted, never compacted; one node is the whole in-sync set; batches are stored as the
     * producer compressed them. Clients and tools (Kafka Streams, Connect, Terraform providers) set
     * these keys explicitly, so each is accepted at its one value and refused at any other, with a
     * message saying what is supported.
     */
    public static final Map<String, String> SINGLE_VALUED = Map.of(
            CLEANUP_POLICY, "delete", MIN_INSYNC_REPLICAS, "1", COMPRESSION_TYPE, "producer");

    /** Every topic-level key this class understands. */
    public static final Set<String> KEYS = Set.of(SEGMENT_BYTES, SEGMENT_MS, RETENTION_BYTES, RETENTION_MS,
            FLUSH_POLICY, FLUSH_MS, INDEX_INTERVAL_BYTES, MAX_MESSAGE_BYTES, MESSAGE_TIMESTAMP_TYPE,
            MESSAGE_TIMESTAMP_BEFORE_MAX_MS, MESSAGE_TIMESTAMP_AFTER_MAX_MS,
            CLEANUP_POLICY, MIN_INSYNC_REPLICAS, COMPRESSION_TYPE);

    /** Smallest segment size accepted, as in Kafka (header of a batch plus some room). */
    public static final int MIN_SEGMENT_BYTES = 14;

    private static final LogConfig DEFAULTS = new LogConfig(
            1 << 30, 7L * 24 * 3600 * 1000, -1L, 7L * 24 * 3600 * 1000,
            FlushPolicy.ASYNC, 1000L, 4096, 1024 * 1024 + 12, TimestampType.CREATE_TIME, Long.MAX_VALUE, 3_600_000L);

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

    private LogConfig(int segmentBytes, long segmentMs, long retentionBytes, long retentionMs,
                      FlushPolicy flushPolicy, long flushMs, int indexIntervalBytes, int maxMessageBytes,
                      TimestampType timestampType, long timestampBeforeMaxMs, long timestampAfterMaxMs) {
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
        long timestampBeforeMaxMs = this.timestampBeforeMaxMs;
        long timestampAfterMaxMs = this.timestampAfterMaxMs;
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
                case CLEANUP_POLICY, MIN_INSYNC_REPLICAS, COMPRESSION_TYPE -> {
                    String only = SINGLE_VALUED.get(key);
                    if (!only.equalsIgnoreCase(value)) {
                        throw new InvalidConfigException(key, value, "'" + only + "': the only " + key
                                + " Tributary supports yet");
                    }
                }
                default -> throw new InvalidConfigException(key, value, "a topic config, one of " + KEYS);
            }
        }
        return new LogConfig(segmentBytes, segmentMs, retentionBytes, retentionMs, flushPolicy, flushMs,
                indexIntervalBytes, maxMessageBytes, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs);
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
        map.putAll(new java.util.TreeMap<>(SINGLE_VALUED));
        return map;
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

    @Override
    public String toString() {
        return "LogConfig" + toMap();
    }
}
