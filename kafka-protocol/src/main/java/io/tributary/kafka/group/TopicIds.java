package io.tributary.kafka.group;

import io.tributary.delivery.group.TopicMetadata;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.Uuid;

import java.util.Collection;
import java.util.UUID;

/**
 * Topic names and ids of the log, in Kafka's terms: the coordinator works with names, the
 * consumer-protocol APIs with ids. Also the coordinator's view of partition counts.
 */
final class TopicIds implements TopicMetadata {
    private final LogManager log;

    TopicIds(LogManager log) {
        this.log = log;
    }

    /** The id of topic {@code name}, or {@link Uuid#ZERO_UUID} if there is no such topic. */
    Uuid idOf(String name) {
        return log.topic(name).map(t -> toKafka(t.id())).orElse(Uuid.ZERO_UUID);
    }

    /** The name of the topic with this id, or null. */
    String nameOf(Uuid id) {
        UUID wanted = new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
        for (Topic topic : log.topics()) {
            if (topic.id().equals(wanted)) {
                return topic.name();
            }
        }
        return null;
    }

    @Override
    public int partitionCount(String topic) {
        return log.topic(topic).map(Topic::partitionCount).orElse(-1);
    }

    @Override
    public Collection<String> topicNames() {
        return log.topics().stream().map(Topic::name).toList();
    }

    private static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
