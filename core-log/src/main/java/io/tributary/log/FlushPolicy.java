package io.tributary.log;

/**
 * When appended data is forced to the storage device. Set per topic with {@code flush.policy}
 * (broker default {@code log.flush.policy}).
 */
public enum FlushPolicy {
    /**
     * Data is fsynced before the append completes, so an acknowledged record survives a process
     * crash and a machine crash (power loss, kernel panic). The pipeline groups the fsyncs: one per
     * file touched per ring batch.
     */
    SYNC,
    /**
     * Data is written to the page cache before the append completes and fsynced by a periodic
     * flusher every {@code flush.ms}. An acknowledged record survives a process crash; a machine
     * crash may lose up to the last interval.
     */
    ASYNC;

    /** Parses the lower-case config value ({@code sync} or {@code async}). */
    public static FlushPolicy parse(String value) {
        for (FlushPolicy policy : values()) {
            if (policy.configValue().equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException(value);
    }

    public String configValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
