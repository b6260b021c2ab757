package io.tributary.delivery.group;

import io.tributary.log.LogManager;
import io.tributary.log.Topic;

import java.util.Collection;

/** {@link TopicMetadata} read from the log's live topics. */
final class LogTopics implements TopicMetadata {
    private final LogManager log;

    LogTopics(LogManager log) {
        this.log = log;
    }

    @Override
    public int partitionCount(String topic) {
        return log.topic(topic).map(Topic::partitionCount).orElse(-1);
    }

    @Override
    public Collection<String> topicNames() {
        return log.topics().stream().map(Topic::name).toList();
    }
}
