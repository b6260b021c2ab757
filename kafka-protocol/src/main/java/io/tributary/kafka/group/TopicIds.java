package io.tributary.kafka.group;

import io.tributary.kafka.api.Topics;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.Uuid;

/**
 * Topic names and ids of the log, in Kafka's terms: the coordinator works with names, the
 * consumer-protocol APIs with ids.
 */
final class TopicIds {
    private final LogManager log;

    TopicIds(LogManager log) {
        this.log = log;
    }

    /** The id of topic {@code name}, or {@link Uuid#ZERO_UUID} if there is no such topic. */
    Uuid idOf(String name) {
        return log.topic(name).map(Topics::kafkaId).orElse(Uuid.ZERO_UUID);
    }

    /** The name of the topic with this id, or null. */
    String nameOf(Uuid id) {
        return Topics.byId(log, id).map(Topic::name).orElse(null);
    }

    /** Partition count of {@code topic}, or -1 if there is no such topic. */
    int partitionCount(String topic) {
        return log.topic(topic).map(Topic::partitionCount).orElse(-1);
    }
}
