package io.tributary.kafka.txn;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.transactions.TransactionCoordinator;
import io.tributary.transactions.TransactionDescription;
import io.tributary.transactions.TxnPartition;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** DescribeTransactions v0: state, producer, timeout, start time and partitions per transactional id; unknown ids answer TRANSACTIONAL_ID_NOT_FOUND. */
final class DescribeTransactionsHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;

    DescribeTransactionsHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeTransactionsRequestData request = (DescribeTransactionsRequestData) context.request().body();
        List<CompletableFuture<Optional<TransactionDescription>>> lookups = new ArrayList<>();
        for (String id : request.transactionalIds()) {
            lookups.add(coordinator.describe(id));
        }
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) ->
                context.execute(() -> {
                    DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
                    for (int i = 0; i < lookups.size(); i++) {
                        String id = request.transactionalIds().get(i);
                        response.transactionStates().add(state(id, failure == null ? lookups.get(i).join() : null,
                                failure));
                    }
                    context.respond(response);
                }));
    }

    private static TransactionState state(String id, Optional<TransactionDescription> found, Throwable failure) {
        TransactionState state = new TransactionState().setTransactionalId(id).setTransactionState("")
                .setProducerId(-1L).setProducerEpoch((short) -1).setTransactionStartTimeMs(-1L);
        if (failure != null) {
            return state.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        if (found.isEmpty()) {
            return state.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        }
        TransactionDescription txn = found.get();
        state.setTransactionState(txn.state().kafkaName()).setProducerId(txn.producerId())
                .setProducerEpoch(txn.producerEpoch()).setTransactionTimeoutMs(txn.timeoutMs())
                .setTransactionStartTimeMs(txn.startTimeMs());
        for (TxnPartition p : txn.partitions()) {
            TopicData topic = state.topics().find(p.topic());
            if (topic == null) {
                topic = new TopicData().setTopic(p.topic());
                state.topics().add(topic);
            }
            topic.partitions().add(p.partition());
        }
        return state;
    }
}
