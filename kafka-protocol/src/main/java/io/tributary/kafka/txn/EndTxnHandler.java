package io.tributary.kafka.txn;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.ProduceDurability;
import io.tributary.kafka.network.RequestContext;
import io.tributary.pipeline.MarkerType;
import io.tributary.transactions.TransactionCoordinator;
import io.tributary.transactions.TransactionVersion;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * EndTxn v0-5: commits or aborts the producer's transaction; answers once the decision is stored, as
 * Kafka does, and the markers follow. The producer's next AddPartitionsToTxn waits at the coordinator
 * until they are written instead of being told CONCURRENT_TRANSACTIONS (decision 0029). v5 is KIP-890
 * part 2 (transaction.version 2): the decision bumps the producer epoch and the answer carries the
 * producer id and epoch to go on with (decision 0030); a broker that finalizes transaction.version 1
 * answers v5 UNSUPPORTED_VERSION, as Kafka does.
 * A producer whose client id asks for fsyncs ({@link ProduceDurability}, the JMS provider's transacted
 * sessions) gets its decision fsynced before the answer, and its markers fsynced (decision 0032).
 */
final class EndTxnHandler implements ApiHandler {
    private static final int FENCED_SINCE = 2;
    private static final int EPOCH_BUMP_SINCE = 5;

    private final TransactionCoordinator coordinator;

    EndTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        EndTxnRequestData request = (EndTxnRequestData) context.request().body();
        short version = context.request().apiVersion();
        TransactionVersion txnVersion = version >= EPOCH_BUMP_SINCE ? TransactionVersion.V2 : TransactionVersion.V1;
        if (txnVersion.level() > coordinator.transactionVersion().level()) {
            context.respond(new EndTxnResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
            return;
        }
        coordinator.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.committed() ? MarkerType.COMMIT : MarkerType.ABORT, txnVersion,
                        ProduceDurability.of(context.request().header().clientId()))
                .whenComplete((result, failure) -> context.execute(() -> {
                    Errors code = failure != null ? TxnErrors.ofFailure(failure)
                            : TxnErrors.toKafka(result.error(), version, FENCED_SINCE);
                    context.respond(new EndTxnResponseData().setErrorCode(code.code())
                            .setProducerId(failure != null ? -1L : result.producerId())
                            .setProducerEpoch(failure != null ? (short) -1 : result.producerEpoch()));
                }));
    }
}
