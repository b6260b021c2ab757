package io.tributary.delivery.group.assignor;

import io.tributary.delivery.TopicPartition;

import java.util.Map;
import java.util.Set;

/**
 * Input of an assignor.
 *
 * @param subscriptions     member id to the names of the topics it subscribes to
 * @param partitionCounts   partition count of every subscribed topic that exists
 * @param currentAssignment member id to its current target assignment, for stickiness; may miss members
 */
public record AssignmentSpec(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionCounts,
                             Map<String, Set<TopicPartition>> currentAssignment) {
}
