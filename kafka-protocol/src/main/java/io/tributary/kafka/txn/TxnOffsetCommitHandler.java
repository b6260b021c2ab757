package io.tributary.kafka.txn;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.transactions.PendingOffset;
import io.tributary.transactions.TransactionCoordinator;
import io.tributary.transactions.TransactionVersion;
import io.tributary.transactions.TxnError;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;

/**
 * TxnOffsetCommit v0-5: the member checks of an offset commit (v3+ carries member id, generation
 * and instance id) against the group coordinator now, then the offsets wait in the transaction and
 * become committed offsets of the group when it commits (dropped on abort). One error for all
 * partitions, as every check here is per request. From v5, when the broker finalizes transaction.version
 * 2, the commit adds the group to the transaction itself (opening it), with no AddOffsetsToTxn before
 * (KIP-890 part 2, as Kafka's broker adds the group's offsets partition).
 */
final class TxnOffsetCommitHandler implements ApiHandler {
    private static final int IMPLICIT_SINCE = 5;

    private final TransactionCoordinator coordinator;
    private final GroupCoordinator groups;

    TxnOffsetCommitHandler(TransactionCoordinator coordinator, GroupCoordinator groups) {
        this.coordinator = coordinator;
        this.groups = groups;
    }

    @Override
    public void handle(RequestContext context) {
        TxnOffsetCommitRequestData request = (TxnOffsetCommitRequestData) context.request().body();
        GroupError memberError = groups.checkTransactionOffsetCommit(request.groupId(), request.memberId(),
                request.groupInstanceId(), request.generationIdOrMemberEpoch());
        if (memberError != GroupError.NONE) {
            context.respond(response(request, Errors.valueOf(memberError.name())));
            return;
        }
        List<PendingOffset> offsets = new ArrayList<>();
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            for (TxnOffsetCommitRequestPartition p : topic.partitions()) {
                offsets.add(new PendingOffset(topic.name(), p.partitionIndex(), p.committedOffset(),
                        p.committedLeaderEpoch(), p.committedMetadata()));
            }
        }
        TransactionVersion txnVersion = context.request().apiVersion() >= IMPLICIT_SINCE
                && coordinator.transactionVersion() == TransactionVersion.V2 ? TransactionVersion.V2 : TransactionVersion.V1;
        coordinator.commitOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.groupId(), offsets, txnVersion)
                .whenComplete((error, failure) -> context.execute(() -> context.respond(response(request,
                        failure != null ? TxnErrors.ofFailure(failure) : toKafka(error)))));
    }

    /** This API predates PRODUCER_FENCED: a fenced producer gets INVALID_PRODUCER_EPOCH, as from Kafka. */
    private static Errors toKafka(TxnError error) {
        return error == TxnError.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : TxnErrors.toKafka(error);
    }

    private static TxnOffsetCommitResponseData response(TxnOffsetCommitRequestData request, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseTopic result = new TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequestPartition p : topic.partitions()) {
                result.partitions().add(new TxnOffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
            response.topics().add(result);
        }
        return response;
    }
}
