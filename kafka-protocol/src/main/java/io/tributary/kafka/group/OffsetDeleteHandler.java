package io.tributary.kafka.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;

/** OffsetDelete: removes committed offsets of topics the group does not consume. */
public final class OffsetDeleteHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public OffsetDeleteHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        OffsetDeleteRequestData request = (OffsetDeleteRequestData) context.request().body();
        List<TopicPartition> partitions = new ArrayList<>();
        request.topics().forEach(t -> t.partitions().forEach(p -> partitions.add(new TopicPartition(t.name(), p.partitionIndex()))));
        coordinator.deleteOffsets(request.groupId(), partitions).whenComplete((result, failure) -> {
            OffsetDeleteResponseData response = new OffsetDeleteResponseData();
            if (failure != null) {
                context.respond(response.setErrorCode(Errors.forException(failure).code()));
                return;
            }
            response.setErrorCode(GroupErrors.code(result.error()));
            if (result.error() == GroupError.NONE) {
                for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
                    OffsetDeleteResponseData.OffsetDeleteResponseTopic out =
                            new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
                    for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : topic.partitions()) {
                        GroupError error = result.partitionErrors().getOrDefault(
                                new TopicPartition(topic.name(), p.partitionIndex()), GroupError.NONE);
                        out.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                .setPartitionIndex(p.partitionIndex()).setErrorCode(GroupErrors.code(error)));
                    }
                    response.topics().add(out);
                }
            }
            context.respond(response);
        });
    }
}
