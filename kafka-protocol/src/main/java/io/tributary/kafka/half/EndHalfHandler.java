package io.tributary.kafka.half;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.transactions.HalfOutcome;
import io.tributary.transactions.HalfTransactionCoordinator;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * EndHalf: commit or rollback, answered once durable; an unknown outcome (a check answered "still running")
 * only confirms that the transaction exists, and leaves it to the next check.
 */
final class EndHalfHandler implements ApiHandler {
    private final HalfTransactionCoordinator coordinator;

    EndHalfHandler(HalfTransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        EndHalfRequest request = (EndHalfRequest) context.request().body();
        CompletableFuture<?> done = switch (request.outcome) {
            case EndHalfRequest.COMMIT -> coordinator.end(request.producerGroup, request.transactionId, HalfOutcome.COMMIT);
            case EndHalfRequest.ROLLBACK -> coordinator.end(request.producerGroup, request.transactionId, HalfOutcome.ROLLBACK);
            default -> coordinator.state(request.producerGroup, request.transactionId).thenApply(state -> {
                if (state.isEmpty()) {
                    throw new io.tributary.transactions.HalfTransactionException(
                            io.tributary.transactions.HalfError.UNKNOWN_TRANSACTION, "unknown transaction "
                            + request.transactionId + " of producer group " + request.producerGroup);
                }
                return state;
            });
        };
        done.whenComplete((v, failure) -> context.respond(failure == null
                ? new EndHalfResponse(Errors.NONE.code(), null)
                : new EndHalfResponse(HalfErrors.code(failure), HalfErrors.message(failure))));
    }
}
