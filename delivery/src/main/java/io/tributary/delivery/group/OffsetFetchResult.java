package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.Map;

/** Committed offsets of a group; a partition without a committed offset is absent from the map. */
public record OffsetFetchResult(GroupError error, Map<TopicPartition, OffsetAndMetadata> offsets) {
}
