package io.tributary.kafka.api;

import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.Uuid;

import java.util.Optional;
import java.util.UUID;

/** Topic lookups by Kafka name or Kafka topic id, and the conversions between id types. */
final class Topics {
    private Topics() {
    }

    static Uuid kafkaId(Topic topic) {
        UUID id = topic.id();
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    static Optional<Topic> byId(LogManager log, Uuid id) {
        if (id == null || Uuid.ZERO_UUID.equals(id)) {
            return Optional.empty();
        }
        UUID wanted = new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
        for (Topic topic : log.topics()) {
            if (topic.id().equals(wanted)) {
                return Optional.of(topic);
            }
        }
        return Optional.empty();
    }
}
