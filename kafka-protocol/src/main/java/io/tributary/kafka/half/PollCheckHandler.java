package io.tributary.kafka.half;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.transactions.HalfTransactionCoordinator;
import org.apache.kafka.common.protocol.Errors;

/**
 * PollCheck: parks the member's poll at the coordinator until a check of its group is due or the wait
 * runs out. A poll whose connection has closed is passed over, so its checks go to a live member.
 */
final class PollCheckHandler implements ApiHandler {
    private final HalfTransactionCoordinator coordinator;

    PollCheckHandler(HalfTransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        PollCheckRequest request = (PollCheckRequest) context.request().body();
        coordinator.pollCheck(request.producerGroup, request.maxWaitMs, context::isOpen)
                .whenComplete((checks, failure) -> context.respond(failure == null
                        ? new PollCheckResponse(Errors.NONE.code(), null, checks)
                        : new PollCheckResponse(HalfErrors.code(failure), HalfErrors.message(failure), java.util.List.of())));
    }
}
