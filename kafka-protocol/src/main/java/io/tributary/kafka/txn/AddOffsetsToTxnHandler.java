package io.tributary.kafka.txn;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.transactions.TransactionCoordinator;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.Errors;

/** AddOffsetsToTxn v0-4: the producer's transaction will commit offsets of a group (sent next with TxnOffsetCommit). */
final class AddOffsetsToTxnHandler implements ApiHandler {
    private static final int FENCED_SINCE = 2;

    private final TransactionCoordinator coordinator;

    AddOffsetsToTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        AddOffsetsToTxnRequestData request = (AddOffsetsToTxnRequestData) context.request().body();
        short version = context.request().apiVersion();
        coordinator.addOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(), request.groupId())
                .whenComplete((error, failure) -> context.execute(() -> {
                    Errors code = failure != null ? TxnErrors.ofFailure(failure)
                            : TxnErrors.toKafka(error, version, FENCED_SINCE);
                    context.respond(new AddOffsetsToTxnResponseData().setErrorCode(code.code()));
                }));
    }
}
