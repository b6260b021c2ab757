package io.tributary.delivery.group;

import io.tributary.delivery.TopicPartition;

import java.util.Map;

/** Outcome of deleting committed offsets: a group-level error, else one error per partition. */
public record OffsetDeleteResult(GroupError error, Map<TopicPartition, GroupError> partitionErrors) {
}
