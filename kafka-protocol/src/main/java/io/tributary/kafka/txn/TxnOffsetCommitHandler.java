package io.tributary.kafka.txn;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
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
import java.util.Optional;

/**
 * TxnOffsetCommit v0-6: partitions that do not exist are answered UNKNOWN_TOPIC_OR_PARTITION (v6 names topics by
 * id, KIP-1319: an unknown id is UNKNOWN_TOPIC_ID); for the others the member checks of an offset commit (v3+
 * carries member id, generation or member epoch and instance id) run against the group coordinator now, then the
 * offsets wait in the transaction and become committed offsets of the group when it commits (dropped on abort).
 * From v5, when the broker finalizes transaction.version 2, the commit adds the group to the transaction itself
 * (opening it), with no AddOffsetsToTxn before (KIP-890 part 2, as Kafka's broker adds the group's offsets
 * partition). The errors v6 added are Kafka's: GROUP_ID_NOT_FOUND for a generation or member epoch given to a
 * group that does not exist and STALE_MEMBER_EPOCH, both ILLEGAL_GENERATION before v6.
 *
 * <p>An offset whose metadata is above {@code offset.metadata.max.bytes} is answered OFFSET_METADATA_TOO_LARGE
 * now and not kept, as by Kafka 4.4, once the transaction and member checks passed (their errors take every
 * partition); the other offsets of the request go into the transaction, and under transaction version 2 the group
 * joins the transaction even when none fits. kafka-clients treats that error as fatal for the producer
 * ({@code TransactionDifferentialIT.sendOffsetsToTransactionWithMetadataTooLarge}).
 */
final class TxnOffsetCommitHandler implements ApiHandler {
    private static final int IMPLICIT_SINCE = 5;
    private static final int TOPIC_IDS_SINCE = 6;

    private final TransactionCoordinator coordinator;
    private final GroupCoordinator groups;
    private final LogManager log;

    TxnOffsetCommitHandler(TransactionCoordinator coordinator, GroupCoordinator groups, LogManager log) {
        this.coordinator = coordinator;
        this.groups = groups;
        this.log = log;
    }

    @Override
    public void handle(RequestContext context) {
        TxnOffsetCommitRequestData request = (TxnOffsetCommitRequestData) context.request().body();
        short version = context.request().apiVersion();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        List<PendingOffset> offsets = new ArrayList<>();
        List<TxnOffsetCommitResponsePartition> pending = new ArrayList<>();
        List<TopicPartition> partitions = new ArrayList<>();
        List<TxnOffsetCommitResponsePartition> tooLarge = new ArrayList<>();
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseTopic result = new TxnOffsetCommitResponseTopic().setName(topic.name())
                    .setTopicId(topic.topicId());
            response.topics().add(result);
            Optional<Topic> found = version >= TOPIC_IDS_SINCE ? Topics.byId(log, topic.topicId()) : log.topic(topic.name());
            for (TxnOffsetCommitRequestPartition p : topic.partitions()) {
                TxnOffsetCommitResponsePartition answer = new TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex());
                result.partitions().add(answer);
                if (found.isEmpty() || p.partitionIndex() < 0 || p.partitionIndex() >= found.get().partitionCount()) {
                    Errors error = found.isEmpty() && version >= TOPIC_IDS_SINCE ? Errors.UNKNOWN_TOPIC_ID
                            : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    answer.setErrorCode(error.code());
                    continue;
                }
                pending.add(answer);
                partitions.add(new TopicPartition(found.get().name(), p.partitionIndex()));
                if (groups.offsetMetadataFits(p.committedMetadata())) {
                    offsets.add(new PendingOffset(found.get().name(), p.partitionIndex(), p.committedOffset(),
                            p.committedLeaderEpoch(), p.committedMetadata()));
                } else {
                    tooLarge.add(answer);
                }
            }
        }
        if (pending.isEmpty()) {
            context.respond(response);
            return;
        }
        GroupError memberError = groups.checkTransactionOffsetCommit(request.groupId(), request.memberId(),
                request.groupInstanceId(), request.generationIdOrMemberEpoch(), partitions);
        if (memberError != GroupError.NONE) {
            pending.forEach(p -> p.setErrorCode(memberError(memberError, version).code()));
            context.respond(response);
            return;
        }
        TransactionVersion txnVersion = version >= IMPLICIT_SINCE
                && coordinator.transactionVersion() == TransactionVersion.V2 ? TransactionVersion.V2 : TransactionVersion.V1;
        coordinator.commitOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.groupId(), offsets, txnVersion)
                .whenComplete((error, failure) -> context.execute(() -> {
                    Errors answer = failure != null ? TxnErrors.ofFailure(failure) : toKafka(error);
                    pending.forEach(p -> p.setErrorCode(answer.code()));
                    if (answer == Errors.NONE) {
                        tooLarge.forEach(p -> p.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code()));
                    }
                    context.respond(response);
                }));
    }

    /** The errors v6 added are ILLEGAL_GENERATION before it, as Kafka's group coordinator answers. */
    private static Errors memberError(GroupError error, short version) {
        boolean sinceV6 = error == GroupError.GROUP_ID_NOT_FOUND || error == GroupError.STALE_MEMBER_EPOCH;
        return sinceV6 && version < TOPIC_IDS_SINCE ? Errors.ILLEGAL_GENERATION : Errors.valueOf(error.name());
    }

    /** This API predates PRODUCER_FENCED: a fenced producer gets INVALID_PRODUCER_EPOCH, as from Kafka. */
    private static Errors toKafka(TxnError error) {
        return error == TxnError.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : TxnErrors.toKafka(error);
    }
}
