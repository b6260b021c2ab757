package io.tributary.kafka.txn;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.transactions.TransactionCoordinator;
import io.tributary.transactions.TxnError;
import io.tributary.transactions.TxnPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AddPartitionsToTxn v0-3, the client versions (v4+ batch transactions and are sent by brokers
 * only): adds the partitions to the producer's open transaction, starting one if none is open.
 * One error per partition; when one partition is unknown, the others answer OPERATION_NOT_ATTEMPTED.
 */
final class AddPartitionsToTxnHandler implements ApiHandler {
    private static final int FENCED_SINCE = 2;

    private final TransactionCoordinator coordinator;

    AddPartitionsToTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        AddPartitionsToTxnRequestData request = (AddPartitionsToTxnRequestData) context.request().body();
        short version = context.request().apiVersion();
        List<TxnPartition> partitions = new ArrayList<>();
        for (AddPartitionsToTxnTopic topic : request.v3AndBelowTopics()) {
            for (int partition : topic.partitions()) {
                partitions.add(new TxnPartition(topic.name(), partition));
            }
        }
        coordinator.addPartitions(request.v3AndBelowTransactionalId(), request.v3AndBelowProducerId(),
                        request.v3AndBelowProducerEpoch(), partitions)
                .whenComplete((errors, failure) -> context.execute(() ->
                        context.respond(response(partitions, errors, failure, version))));
    }

    private static AddPartitionsToTxnResponseData response(List<TxnPartition> partitions,
                                                           Map<TxnPartition, TxnError> errors, Throwable failure,
                                                           short version) {
        AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
        for (TxnPartition p : partitions) {
            AddPartitionsToTxnTopicResult topic = response.resultsByTopicV3AndBelow().find(p.topic());
            if (topic == null) {
                topic = new AddPartitionsToTxnTopicResult().setName(p.topic());
                response.resultsByTopicV3AndBelow().add(topic);
            }
            Errors error = failure != null ? TxnErrors.ofFailure(failure)
                    : TxnErrors.toKafka(errors.getOrDefault(p, TxnError.NONE), version, FENCED_SINCE);
            if (topic.resultsByPartition().find(p.partition()) == null) {
                topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                        .setPartitionIndex(p.partition()).setPartitionErrorCode(error.code()));
            }
        }
        return response;
    }
}
