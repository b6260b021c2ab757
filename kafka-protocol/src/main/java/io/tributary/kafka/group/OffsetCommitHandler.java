package io.tributary.kafka.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.OffsetCommitRequest;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OffsetCommit by topic name (v2-9): answered once the offsets are durable. The generation field is
 * the classic generation or, for consumer groups, the member epoch; the coordinator knows which.
 * Partitions of unknown topics are refused with UNKNOWN_TOPIC_OR_PARTITION.
 */
public final class OffsetCommitHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final TopicIds topics;

    public OffsetCommitHandler(GroupCoordinator coordinator, TopicIds topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    @Override
    public void handle(RequestContext context) {
        OffsetCommitRequestData request = (OffsetCommitRequestData) context.request().body();
        List<OffsetCommitRequest.PartitionOffset> offsets = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            int partitions = topics.partitionCount(topic.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                if (p.partitionIndex() >= 0 && p.partitionIndex() < partitions) {
                    offsets.add(new OffsetCommitRequest.PartitionOffset(new TopicPartition(topic.name(), p.partitionIndex()),
                            p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata()));
                }
            }
        }
        coordinator.commitOffsets(new OffsetCommitRequest(request.groupId(), request.memberId(),
                request.groupInstanceId(), request.generationIdOrMemberEpoch(), offsets))
                .whenComplete((errors, failure) -> context.respond(response(request, errors, failure)));
    }

    private static OffsetCommitResponseData response(OffsetCommitRequestData request,
                                                     Map<TopicPartition, GroupError> errors, Throwable failure) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic out =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(topic.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                short code;
                if (failure != null) {
                    code = Errors.forException(failure).code();
                } else {
                    GroupError error = errors.get(new TopicPartition(topic.name(), p.partitionIndex()));
                    code = error == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION.code() : GroupErrors.code(error);
                }
                out.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(code));
            }
            response.topics().add(out);
        }
        return response;
    }
}
