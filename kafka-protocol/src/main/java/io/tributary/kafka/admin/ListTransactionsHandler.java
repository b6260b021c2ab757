package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ListTransactions (v0-2), on the event loop. Tributary does not run Kafka transactions yet
 * (InitProducerId serves idempotent producers only), so no transactional id exists and the list is
 * always empty, which is the truth. Filters are still checked as Kafka's coordinator does: state
 * names it does not know come back in {@code unknownStateFilters}; a transactional-id pattern (v2)
 * that is not a valid regular expression is INVALID_REGULAR_EXPRESSION.
 */
final class ListTransactionsHandler implements ApiHandler {
    /** Kafka's transaction state names. */
    static final Set<String> STATES = Set.of("Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit",
            "CompleteAbort", "Dead", "PrepareEpochFence");

    @Override
    public void handle(RequestContext context) {
        ListTransactionsRequestData request = (ListTransactionsRequestData) context.request().body();
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        String pattern = request.transactionalIdPattern();
        if (pattern != null && !pattern.isEmpty()) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                context.respond(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
                return;
            }
        }
        for (String state : request.stateFilters()) {
            if (!STATES.contains(state)) {
                response.unknownStateFilters().add(state);
            }
        }
        context.respond(response.setErrorCode(Errors.NONE.code()));
    }
}
