package io.tributary.kafka.api;

import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.Uuid;

import java.util.Optional;
import java.util.UUID;

/**
 * Topic lookups by Kafka topic id, the conversions between the log's {@link UUID} ids and Kafka's
 * {@link Uuid}, and Kafka's internal-topic rule. Shared by the handlers of every API family.
 */
public final class Topics {
    /**
     * Kafka 4.4's controller bound on the partitions one CreateTopics or CreatePartitions request
     * may add (its {@code MAX_PARTITIONS_PER_BATCH}); above it the whole request is refused.
     * Besides matching Kafka it caps the files one request makes this broker open (decision 0040).
     */
    public static final int MAX_PARTITIONS_PER_REQUEST = 10_000;

    private Topics() {
    }

    /** The Kafka id of {@code topic}. */
    public static Uuid kafkaId(Topic topic) {
        UUID id = topic.id();
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** The topic with Kafka id {@code id}; empty for null, {@link Uuid#ZERO_UUID} or an unknown id. */
    public static Optional<Topic> byId(LogManager log, Uuid id) {
        if (id == null || Uuid.ZERO_UUID.equals(id)) {
            return Optional.empty();
        }
        return log.topic(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()));
    }

    /**
     * Kafka's internal topics ({@code __consumer_offsets}, {@code __transaction_state}, ...) and
     * Tributary's own ({@code __half_messages}, decision 0017).
     */
    public static boolean isInternal(String name) {
        return org.apache.kafka.common.internals.Topic.isInternal(name)
                || io.tributary.transactions.HalfTransactionCoordinator.TOPIC.equals(name);
    }
}
