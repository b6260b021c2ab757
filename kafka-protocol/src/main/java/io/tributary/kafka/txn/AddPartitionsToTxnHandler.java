package io.tributary.kafka.txn;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.transactions.TransactionCoordinator;
import io.tributary.transactions.TransactionVersion;
import io.tributary.transactions.TxnError;
import io.tributary.transactions.TxnPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * AddPartitionsToTxn. v0-3 (clients): adds the partitions to the producer's open transaction, starting one if
 * none is open. v4-5 (KIP-890 part 1, what a Kafka partition leader sends the coordinator; authorized by
 * CLUSTER_ACTION): a batch of transactions, each either added as a transaction version 2 producer's Produce adds
 * them, or with VerifyOnly only checked (TRANSACTION_ABORTABLE for a partition the transaction did not add),
 * each answered under its transactional id; v5 only allows TRANSACTION_ABORTABLE, which this broker answers at
 * v4 too, as Kafka does. One error per partition; when one partition is unknown, the others of its transaction
 * answer OPERATION_NOT_ATTEMPTED.
 */
final class AddPartitionsToTxnHandler implements ApiHandler {
    private static final int FENCED_SINCE = 2;
    private static final short BATCHED_SINCE = 4;

    private final TransactionCoordinator coordinator;

    AddPartitionsToTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        AddPartitionsToTxnRequestData request = (AddPartitionsToTxnRequestData) context.request().body();
        short version = context.request().apiVersion();
        if (version >= BATCHED_SINCE) {
            handleBatch(context, request);
            return;
        }
        List<TxnPartition> partitions = partitions(request.v3AndBelowTopics());
        coordinator.addPartitions(request.v3AndBelowTransactionalId(), request.v3AndBelowProducerId(),
                        request.v3AndBelowProducerEpoch(), partitions)
                .whenComplete((errors, failure) -> context.execute(() ->
                        context.respond(response(partitions, errors, failure, version))));
    }

    private void handleBatch(RequestContext context, AddPartitionsToTxnRequestData request) {
        List<CompletableFuture<AddPartitionsToTxnResult>> results = new ArrayList<>();
        for (AddPartitionsToTxnTransaction txn : request.transactions()) {
            List<TxnPartition> partitions = partitions(txn.topics());
            CompletableFuture<Map<TxnPartition, TxnError>> answer = txn.verifyOnly()
                    ? coordinator.verifyPartitions(txn.transactionalId(), txn.producerId(), txn.producerEpoch(), partitions)
                    : coordinator.addPartitions(txn.transactionalId(), txn.producerId(), txn.producerEpoch(), partitions,
                            TransactionVersion.V2);
            results.add(answer.handle((errors, failure) -> new AddPartitionsToTxnResult()
                    .setTransactionalId(txn.transactionalId())
                    .setTopicResults(topicResults(partitions, errors, failure, BATCHED_SINCE))));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) ->
                context.execute(() -> {
                    AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
                    results.forEach(r -> response.resultsByTransaction().add(r.join()));
                    context.respond(response);
                }));
    }

    private static List<TxnPartition> partitions(AddPartitionsToTxnTopicCollection topics) {
        List<TxnPartition> partitions = new ArrayList<>();
        for (AddPartitionsToTxnTopic topic : topics) {
            for (int partition : topic.partitions()) {
                partitions.add(new TxnPartition(topic.name(), partition));
            }
        }
        return partitions;
    }

    private static AddPartitionsToTxnResponseData response(List<TxnPartition> partitions,
                                                           Map<TxnPartition, TxnError> errors, Throwable failure,
                                                           short version) {
        return new AddPartitionsToTxnResponseData()
                .setResultsByTopicV3AndBelow(topicResults(partitions, errors, failure, version));
    }

    private static AddPartitionsToTxnTopicResultCollection topicResults(List<TxnPartition> partitions,
                                                                        Map<TxnPartition, TxnError> errors,
                                                                        Throwable failure, short version) {
        AddPartitionsToTxnTopicResultCollection topics = new AddPartitionsToTxnTopicResultCollection();
        for (TxnPartition p : partitions) {
            AddPartitionsToTxnTopicResult topic = topics.find(p.topic());
            if (topic == null) {
                topic = new AddPartitionsToTxnTopicResult().setName(p.topic());
                topics.add(topic);
            }
            Errors error = failure != null ? TxnErrors.ofFailure(failure)
                    : TxnErrors.toKafka(errors.getOrDefault(p, TxnError.NONE), version, FENCED_SINCE);
            if (topic.resultsByPartition().find(p.partition()) == null) {
                topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                        .setPartitionIndex(p.partition()).setPartitionErrorCode(error.code()));
            }
        }
        return topics;
    }
}
