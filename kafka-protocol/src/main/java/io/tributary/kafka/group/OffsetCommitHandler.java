package io.tributary.kafka.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.OffsetCommitRequest;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OffsetCommit v2-10, answered once the offsets are durable. Topics are named up to v9 and addressed by id
 * from v10 (what the KIP-848 consumer sends once it knows every committed topic's id). As in Kafka 4.4, the
 * topics are checked before the group is asked: an id the log does not know (the zero id too) answers
 * UNKNOWN_TOPIC_ID, an unknown name or a partition beyond the topic UNKNOWN_TOPIC_OR_PARTITION; when nothing
 * is left to commit the coordinator is not asked at all, so such a request neither creates the group nor
 * checks the member. The generation field is the classic generation or, from v9, for consumer groups the
 * member epoch; a consumer-protocol member committing below v9 is answered UNSUPPORTED_VERSION, as by Kafka.
 */
public final class OffsetCommitHandler implements ApiHandler {
    /** The first version whose generation field may be a consumer-protocol member epoch (KIP-848). */
    static final short MEMBER_EPOCH_VERSION = 9;
    /** The first version that addresses topics by id instead of by name. */
    static final short TOPIC_ID_VERSION = 10;

    private final GroupCoordinator coordinator;
    private final TopicIds topics;

    public OffsetCommitHandler(GroupCoordinator coordinator, TopicIds topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    @Override
    public void handle(RequestContext context) {
        OffsetCommitRequestData request = (OffsetCommitRequestData) context.request().body();
        boolean byId = context.request().apiVersion() >= TOPIC_ID_VERSION;
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        List<OffsetCommitRequest.PartitionOffset> offsets = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            String name = byId ? topics.nameOf(topic.topicId()) : topic.name();
            int partitions = name == null ? -1 : topics.partitionCount(name);
            OffsetCommitResponseTopic out = new OffsetCommitResponseTopic()
                    .setName(name == null ? "" : name).setTopicId(topic.topicId());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                OffsetCommitResponsePartition result = new OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex());
                if (name == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                } else if (p.partitionIndex() < 0 || p.partitionIndex() >= partitions) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    TopicPartition tp = new TopicPartition(name, p.partitionIndex());
                    offsets.add(new OffsetCommitRequest.PartitionOffset(tp, p.committedOffset(),
                            p.committedLeaderEpoch(), p.committedMetadata()));
                    pending.add(new Pending(tp, result));
                }
                out.partitions().add(result);
            }
            response.topics().add(out);
        }
        if (offsets.isEmpty()) {
            context.respond(response);
            return;
        }
        OffsetCommitRequest.Sender sender = context.request().apiVersion() >= MEMBER_EPOCH_VERSION
                ? OffsetCommitRequest.Sender.EPOCH_AWARE : OffsetCommitRequest.Sender.GENERATION_ONLY;
        coordinator.commitOffsets(new OffsetCommitRequest(request.groupId(), request.memberId(),
                request.groupInstanceId(), request.generationIdOrMemberEpoch(), offsets, sender))
                .whenComplete((errors, failure) -> {
                    pending.forEach(p -> p.result.setErrorCode(code(p.partition, errors, failure)));
                    context.respond(response);
                });
    }

    private static short code(TopicPartition partition, Map<TopicPartition, GroupError> errors, Throwable failure) {
        if (failure != null) {
            return Errors.forException(failure).code();
        }
        GroupError error = errors.get(partition);
        return error == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION.code() : GroupErrors.code(error);
    }

    /** A partition handed to the coordinator, and its entry in the response, filled in when the commit ends. */
    private record Pending(TopicPartition partition, OffsetCommitResponsePartition result) {
    }
}
