package io.tributary.log;

import java.util.Map;
import java.util.UUID;

/** A named set of partitions sharing one {@link LogConfig}. */
public interface Topic {
    String name();

    /** Stable id, assigned at creation and persisted (Kafka's topic id). */
    UUID id();

    int partitionCount();

    /** Effective configuration: broker defaults with this topic's overrides applied. */
    LogConfig config();

    /** Only the keys set explicitly for this topic. */
    Map<String, String> configOverrides();

    /** @throws IndexOutOfBoundsException if {@code partition} is not in [0, partitionCount) */
    PartitionLog partition(int partition);
}
