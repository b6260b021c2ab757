package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.txn.TxnErrors;
import io.tributary.pipeline.ProducerIdAllocator;
import io.tributary.transactions.TransactionCoordinator;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * InitProducerId. Without a transactional id (idempotent producers): a fresh producer id with
 * epoch 0 every time, also when the request carries a previous id and epoch (as Kafka does for
 * non-transactional producers); the allocator may persist its next id block, so it runs on the
 * admin executor, not the event loop. With a transactional id: the transaction coordinator's id
 * and next epoch, which fences the previous instance (PRODUCER_FENCED is INVALID_PRODUCER_EPOCH
 * before v4). Two-phase commit (v6, KIP-939: {@code enable2Pc} or {@code keepPreparedTxn}) is not
 * supported: v6 is not advertised (nor by Kafka 4.4, where it is unstable), and a request asking for it is
 * answered INVALID_REQUEST.
 */
public final class InitProducerIdHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdHandler.class);
    private static final int FENCED_SINCE = 4;

    private final ProducerIdAllocator producerIds;
    private final TransactionCoordinator transactions;
    private final Executor admin;

    public InitProducerIdHandler(ProducerIdAllocator producerIds, TransactionCoordinator transactions, Executor admin) {
        this.producerIds = producerIds;
        this.transactions = transactions;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) context.request().body();
        if (request.enable2Pc() || request.keepPreparedTxn()) {
            context.respond(failure(Errors.INVALID_REQUEST));
            return;
        }
        if (request.transactionalId() != null) {
            short version = context.request().apiVersion();
            transactions.initProducerId(request.transactionalId(), request.transactionTimeoutMs(),
                            request.producerId(), request.producerEpoch())
                    .whenComplete((result, failure) -> context.execute(() -> {
                        if (failure != null) {
                            context.respond(failure(Errors.COORDINATOR_NOT_AVAILABLE));
                            return;
                        }
                        context.respond(new InitProducerIdResponseData()
                                .setErrorCode(TxnErrors.toKafka(result.error(), version, FENCED_SINCE).code())
                                .setProducerId(result.producerId()).setProducerEpoch(result.producerEpoch()));
                    }));
            return;
        }
        try {
            admin.execute(() -> context.respond(allocate()));
        } catch (RejectedExecutionException e) {
            context.closeConnection("broker shutting down, cannot allocate a producer id");
        }
    }

    private InitProducerIdResponseData allocate() {
        try {
            return new InitProducerIdResponseData().setProducerId(producerIds.nextProducerId()).setProducerEpoch((short) 0);
        } catch (RuntimeException e) {
            LOG.error("Cannot allocate a producer id", e);
            return failure(Errors.UNKNOWN_SERVER_ERROR);
        }
    }

    private static InitProducerIdResponseData failure(Errors error) {
        return new InitProducerIdResponseData().setErrorCode(error.code())
                .setProducerId(-1L).setProducerEpoch((short) -1);
    }
}
