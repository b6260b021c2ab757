package io.tributary.delivery.group;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TopicMetadata} backed by a map the test fills. */
final class FakeTopics implements TopicMetadata {
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();

    FakeTopics with(String topic, int partitionCount) {
        partitions.put(topic, partitionCount);
        return this;
    }

    @Override
    public int partitionCount(String topic) {
        return partitions.getOrDefault(topic, -1);
    }

    @Override
    public Collection<String> topicNames() {
        return List.copyOf(partitions.keySet());
    }
}
