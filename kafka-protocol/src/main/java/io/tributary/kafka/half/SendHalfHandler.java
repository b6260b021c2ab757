package io.tributary.kafka.half;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import io.tributary.transactions.HalfTransactionCoordinator;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SendHalf: chooses the partition when the client left it to the broker (by key as Kafka's producer does,
 * so records of one key stay in order, else round robin) and stores the half message.
 */
final class SendHalfHandler implements ApiHandler {
    private final HalfTransactionCoordinator coordinator;
    private final LogManager log;
    private final AtomicInteger roundRobin = new AtomicInteger();

    SendHalfHandler(HalfTransactionCoordinator coordinator, LogManager log) {
        this.coordinator = coordinator;
        this.log = log;
    }

    @Override
    public void handle(RequestContext context) {
        SendHalfRequest request = (SendHalfRequest) context.request().body();
        Optional<Topic> topic = log.topic(request.topic);
        if (topic.isPresent() && Topics.isInternal(request.topic)) {
            context.respond(new SendHalfResponse(Errors.INVALID_TOPIC_EXCEPTION.code(),
                    "half messages cannot go to the internal topic " + request.topic, -1));
            return;
        }
        if (topic.isEmpty()) {
            context.respond(new SendHalfResponse(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    "unknown topic " + request.topic, -1));
            return;
        }
        int partition = request.partition >= 0 ? request.partition : choose(topic.get().partitionCount(), request.message.key());
        coordinator.sendHalf(request.producerGroup, request.transactionId, request.topic, partition, request.message)
                .whenComplete((v, failure) -> context.respond(failure == null
                        ? new SendHalfResponse(Errors.NONE.code(), null, partition)
                        : new SendHalfResponse(HalfErrors.code(failure), HalfErrors.message(failure), partition)));
    }

    private int choose(int partitions, byte[] key) {
        if (key != null) {
            return Utils.toPositive(Utils.murmur2(key)) % partitions;
        }
        return Utils.toPositive(roundRobin.getAndIncrement()) % partitions;
    }
}
