package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.pipeline.ProducerIdAllocator;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * InitProducerId for idempotent producers: a fresh producer id with epoch 0 every time, also when
 * the request carries a previous id and epoch (as Kafka does for non-transactional producers).
 * The allocator may persist its next id block, so it runs on the admin executor, not the event loop.
 *
 * <p>Transactions are not built yet: a request with a transactional id answers INVALID_REQUEST.
 * Kafka clients rarely get that far: FindCoordinator for a transaction key already answers
 * INVALID_REQUEST, so a transactional producer fails there first.
 */
public final class InitProducerIdHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdHandler.class);

    private final ProducerIdAllocator producerIds;
    private final Executor admin;

    public InitProducerIdHandler(ProducerIdAllocator producerIds, Executor admin) {
        this.producerIds = producerIds;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) context.request().body();
        if (request.transactionalId() != null) {
            context.respond(failure(Errors.INVALID_REQUEST));
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
