package io.tributary.kafka.admin;

import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.Uuid;

import java.util.Optional;
import java.util.UUID;

/** Topic lookups by Kafka topic id, the id conversion, and Kafka's internal-topic rule. */
final class AdminTopics {
    private AdminTopics() {
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
        return log.topics().stream().filter(t -> t.id().equals(wanted)).findFirst();
    }

    /** Kafka's internal topics ({@code __consumer_offsets}, {@code __transaction_state}, ...). */
    static boolean isInternal(String name) {
        return org.apache.kafka.common.internals.Topic.isInternal(name);
    }
}
