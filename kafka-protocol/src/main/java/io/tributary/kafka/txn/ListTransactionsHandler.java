package io.tributary.kafka.txn;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.transactions.TransactionCoordinator;
import io.tributary.transactions.TransactionDescription;
import io.tributary.transactions.TransactionState;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ListTransactions (v0-2): the coordinator's transactional ids, filtered as Kafka's coordinator
 * filters them: by state name (names it does not know come back in {@code unknownStateFilters}),
 * producer id, started more than {@code durationFilter} ms ago (v1; the last transaction's start, kept once
 * it completed, as Kafka keeps it), and a transactional-id regular
 * expression (v2; an invalid one is INVALID_REGULAR_EXPRESSION).
 */
final class ListTransactionsHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;

    ListTransactionsHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        ListTransactionsRequestData request = (ListTransactionsRequestData) context.request().body();
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        String patternText = request.transactionalIdPattern();
        Pattern pattern = null;
        if (patternText != null && !patternText.isEmpty()) {
            try {
                pattern = Pattern.compile(patternText);
            } catch (PatternSyntaxException e) {
                context.respond(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
                return;
            }
        }
        Set<String> known = new HashSet<>();
        Arrays.stream(TransactionState.values()).forEach(s -> known.add(s.kafkaName()));
        Set<String> states = new HashSet<>();
        for (String state : request.stateFilters()) {
            if (known.contains(state)) {
                states.add(state);
            } else {
                response.unknownStateFilters().add(state);
            }
        }
        Pattern idPattern = pattern;
        long now = System.currentTimeMillis();
        coordinator.list().whenComplete((all, failure) -> context.execute(() -> {
            if (failure != null) {
                context.respond(response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
                return;
            }
            for (TransactionDescription txn : filter(all, request, states, idPattern, now)) {
                response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                        .setTransactionalId(txn.transactionalId()).setProducerId(txn.producerId())
                        .setTransactionState(txn.state().kafkaName()));
            }
            context.respond(response.setErrorCode(Errors.NONE.code()));
        }));
    }

    private static List<TransactionDescription> filter(List<TransactionDescription> all,
                                                       ListTransactionsRequestData request, Set<String> states,
                                                       Pattern pattern, long now) {
        boolean unknownOnly = states.isEmpty() && !request.stateFilters().isEmpty();
        return all.stream()
                .filter(t -> !unknownOnly)
                .filter(t -> states.isEmpty() || states.contains(t.state().kafkaName()))
                .filter(t -> request.producerIdFilters().isEmpty() || request.producerIdFilters().contains(t.producerId()))
                // Kafka's test, whatever the state: an id with no start time (-1, Empty) passes it
                .filter(t -> request.durationFilter() < 0 || now - t.startTimeMs() > request.durationFilter())
                .filter(t -> pattern == null || pattern.matcher(t.transactionalId()).matches())
                .toList();
    }
}
