package io.tributary.kafka.share;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.share.ShareAdmin;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareError;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DeleteShareGroupOffsets (v0): forgets the share partitions of whole topics, which start afresh
 * ({@code share.auto.offset.reset}) when next read. The group must exist (GROUP_ID_NOT_FOUND) and have no
 * members (NON_EMPTY_GROUP); unknown topics get UNKNOWN_TOPIC_OR_PARTITION.
 */
public final class DeleteShareGroupOffsetsHandler implements ApiHandler {
    private final ShareEngine engine;
    private final GroupCoordinator groups;
    private final LogManager log;

    DeleteShareGroupOffsetsHandler(ShareEngine engine, GroupCoordinator groups, LogManager log) {
        this.engine = engine;
        this.groups = groups;
        this.log = log;
    }

    @Override
    public void handle(RequestContext context) {
        DeleteShareGroupOffsetsRequestData request = (DeleteShareGroupOffsetsRequestData) context.request().body();
        DeleteShareGroupOffsetsResponseData response = new DeleteShareGroupOffsetsResponseData();
        if (!engine.exists(request.groupId()) && ShareGroupHeartbeatHandler.isOtherGroup(groups, request.groupId())) {
            // as Kafka: a consumer or classic group's id is not a share group's
            context.respond(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + request.groupId() + " is not a share group."));
            return;
        }
        Set<String> topics = new HashSet<>();
        List<DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic> valid = new ArrayList<>();
        for (DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic t : request.topics()) {
            Topic topic = log.topic(t.topicName()).orElse(null);
            var out = new DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic()
                    .setTopicName(t.topicName());
            response.responses().add(out);
            if (topic == null) {
                out.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                continue;
            }
            out.setTopicId(Topics.kafkaId(topic));
            topics.add(t.topicName());
            valid.add(out);
        }
        ShareAdmin.Change change = engine.admin().deleteStartOffsets(request.groupId(), topics);
        if (change.error() != ShareError.NONE) {
            Errors error = ShareErrors.of(change.error());
            response.setErrorCode(error.code()).setErrorMessage("Share group " + request.groupId() + ": "
                    + error.name());
            response.responses().clear();
            context.respond(response);
            return;
        }
        change.durable().whenComplete((v, failure) -> {
            if (failure != null) {
                valid.forEach(t -> t.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()));
            }
            context.respond(response);
        });
    }
}
