package io.tributary.log.internal;

import io.tributary.log.LogConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A loaded or created topic: its metadata, effective config and partitions. Immutable. */
final class DefaultTopic implements Topic {
    private final TopicMetadata metadata;
    private final LogConfig config;
    private final List<DefaultPartitionLog> partitions;

    DefaultTopic(TopicMetadata metadata, LogConfig config, List<DefaultPartitionLog> partitions) {
        this.metadata = metadata;
        this.config = config;
        this.partitions = List.copyOf(partitions);
    }

    @Override
    public String name() {
        return metadata.name();
    }

    @Override
    public UUID id() {
        return metadata.id();
    }

    @Override
    public int partitionCount() {
        return partitions.size();
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public Map<String, String> configOverrides() {
        return metadata.overrides();
    }

    @Override
    public PartitionLog partition(int partition) {
        return partitions.get(partition);
    }

    TopicMetadata metadata() {
        return metadata;
    }

    List<DefaultPartitionLog> partitions() {
        return partitions;
    }

    @Override
    public String toString() {
        return "Topic[" + name() + ", " + id() + ", " + partitionCount() + " partitions]";
    }
}
