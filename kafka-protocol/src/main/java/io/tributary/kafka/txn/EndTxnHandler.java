package io.tributary.kafka.txn;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.ProduceDurability;
import io.tributary.kafka.network.RequestContext;
import io.tributary.pipeline.MarkerType;
import io.tributary.transactions.TransactionCoordinator;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * EndTxn v0-4: commits or aborts the producer's transaction; answers once the decision is stored, as
 * Kafka does, and the markers follow. The producer's next AddPartitionsToTxn waits at the coordinator
 * until they are written instead of being told CONCURRENT_TRANSACTIONS (decision 0029). v5 (KIP-890's
 * epoch bump per transaction) is not advertised, so clients keep one epoch across transactions.
 * A producer whose client id asks for fsyncs ({@link ProduceDurability}, the JMS provider's transacted
 * sessions) gets its decision fsynced before the answer, and its markers fsynced (decision 0032).
 */
final class EndTxnHandler implements ApiHandler {
    private static final int FENCED_SINCE = 2;

    private final TransactionCoordinator coordinator;

    EndTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        EndTxnRequestData request = (EndTxnRequestData) context.request().body();
        short version = context.request().apiVersion();
        coordinator.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.committed() ? MarkerType.COMMIT : MarkerType.ABORT,
                        ProduceDurability.of(context.request().header().clientId()))
                .whenComplete((error, failure) -> context.execute(() -> {
                    Errors code = failure != null ? TxnErrors.ofFailure(failure)
                            : TxnErrors.toKafka(error, version, FENCED_SINCE);
                    context.respond(new EndTxnResponseData().setErrorCode(code.code()));
                }));
    }
}
