package io.tributary.delivery.share;

import io.tributary.delivery.TopicPartition;

/** A share partition: one partition as one share group sees it. */
public record ShareKey(String groupId, TopicPartition partition) {
}
