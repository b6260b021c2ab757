package io.tributary.log;

/**
 * The log cleaner's broker-wide settings, under Kafka's {@code log.cleaner.*} names.
 *
 * @param enabled               {@code log.cleaner.enable}: whether compacted topics are cleaned at all
 * @param threads               {@code log.cleaner.threads}: partitions cleaned at once
 * @param dedupeBufferSize      {@code log.cleaner.dedupe.buffer.size}: bytes of key map shared by all
 *                              cleaner threads (24 bytes per distinct key); the map grows to it on demand
 * @param ioMaxBytesPerSecond   {@code log.cleaner.io.max.bytes.per.second}: read plus write rate of all
 *                              cleaner threads together
 * @param backoffMs             {@code log.cleaner.backoff.ms}: how long an idle cleaner thread sleeps
 */
public record CleanerConfig(boolean enabled, int threads, long dedupeBufferSize, double ioMaxBytesPerSecond,
                            long backoffMs) {
    /** Kafka's defaults: on, one thread, 128 MiB of key map, no rate limit, 15 s back-off. */
    public static final CleanerConfig DEFAULTS = new CleanerConfig(true, 1, 128L * 1024 * 1024, Double.MAX_VALUE,
            15_000L);

    public CleanerConfig {
        if (threads < 1) {
            throw new InvalidConfigException("log.cleaner.threads", Integer.toString(threads), "at least 1");
        }
        if (dedupeBufferSize / threads < 1024 * 1024) {
            throw new InvalidConfigException("log.cleaner.dedupe.buffer.size", Long.toString(dedupeBufferSize),
                    "at least 1 MiB per cleaner thread");
        }
        if (!(ioMaxBytesPerSecond > 0)) {
            throw new InvalidConfigException("log.cleaner.io.max.bytes.per.second",
                    Double.toString(ioMaxBytesPerSecond), "a positive number");
        }
        if (backoffMs < 0) {
            throw new InvalidConfigException("log.cleaner.backoff.ms", Long.toString(backoffMs), "at least 0");
        }
    }
}
