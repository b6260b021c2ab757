package io.tributary.delivery.group.store;

/**
 * Settings of the {@code __consumer_offsets} store, named after the Kafka broker keys they mirror.
 *
 * @param segmentBytes {@code offsets.topic.segment.bytes} (16 MiB; Kafka's default is 100 MiB): the
 *                     segment size of the compacted {@code __consumer_offsets}, applied when the store
 *                     opens. The cleaner only cleans closed segments, so it bounds how much not yet
 *                     compacted history the partition holds and a start replays
 */
public record GroupStoreConfig(int segmentBytes) {
    /** Default of {@code offsets.topic.segment.bytes}. */
    public static final int DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

    private static final GroupStoreConfig DEFAULTS = new GroupStoreConfig(DEFAULT_SEGMENT_BYTES);

    /** @throws IllegalArgumentException if {@code segmentBytes} is below 1024 */
    public GroupStoreConfig {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("offsets.topic.segment.bytes must be at least 1024, got " + segmentBytes);
        }
    }

    public static GroupStoreConfig defaults() {
        return DEFAULTS;
    }
}
