package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.TransactionView;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Fetch (v4+), without fetch sessions (KIP-227): every response carries session id 0, which tells
 * the client that no session was created, so it sends a full fetch each time. A request naming a
 * session answers FETCH_SESSION_ID_NOT_FOUND. The reading and long-polling is {@link FetchOperation}.
 */
public final class FetchHandler implements ApiHandler {
    private final LogManager log;
    private final Function<PartitionLog, TransactionView> transactions;
    private final FetchPurgatory purgatory;
    private final Executor reads;

    /**
     * {@code reads} runs the file reads (see {@link FetchOperation}); {@code transactions} gives each
     * partition's last stable offset and aborted transactions for read_committed fetches.
     */
    public FetchHandler(LogManager log, Function<PartitionLog, TransactionView> transactions, FetchPurgatory purgatory,
                        Executor reads) {
        this.log = log;
        this.transactions = transactions;
        this.purgatory = purgatory;
        this.reads = reads;
    }

    @Override
    public void handle(RequestContext context) {
        FetchRequestData request = (FetchRequestData) context.request().body();
        if (request.sessionId() != 0) {
            context.respond(new FetchResponseData().setSessionId(0)
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()));
            return;
        }
        new FetchOperation(context, request, log, transactions, purgatory, reads).run();
    }
}
