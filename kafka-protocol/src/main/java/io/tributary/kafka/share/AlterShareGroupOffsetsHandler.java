package io.tributary.kafka.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.share.ShareAdmin;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareError;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AlterShareGroupOffsets (v0): moves share partitions' start offsets (kafka-share-groups --reset-offsets),
 * forgetting their windows; the group must have no members (NON_EMPTY_GROUP). Offsets are clamped into the
 * log's [start, high watermark]. Unknown partitions get UNKNOWN_TOPIC_OR_PARTITION; the others are answered
 * once durable.
 */
public final class AlterShareGroupOffsetsHandler implements ApiHandler {
    private final ShareEngine engine;
    private final GroupCoordinator groups;
    private final LogManager log;

    AlterShareGroupOffsetsHandler(ShareEngine engine, GroupCoordinator groups, LogManager log) {
        this.engine = engine;
        this.groups = groups;
        this.log = log;
    }

    @Override
    public void handle(RequestContext context) {
        AlterShareGroupOffsetsRequestData request = (AlterShareGroupOffsetsRequestData) context.request().body();
        AlterShareGroupOffsetsResponseData response = new AlterShareGroupOffsetsResponseData();
        if (!engine.exists(request.groupId()) && ShareGroupHeartbeatHandler.isOtherGroup(groups, request.groupId())) {
            // as Kafka: a consumer or classic group's id is not a share group's
            context.respond(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + request.groupId() + " is not a share group."));
            return;
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        List<AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition> valid = new ArrayList<>();
        for (AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic t : request.topics()) {
            Topic topic = log.topic(t.topicName()).orElse(null);
            var out = new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic()
                    .setTopicName(t.topicName());
            if (topic != null) {
                out.setTopicId(Topics.kafkaId(topic));
            }
            response.responses().add(out);
            for (var p : t.partitions()) {
                var partition = new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition()
                        .setPartitionIndex(p.partitionIndex());
                out.partitions().add(partition);
                if (topic == null || p.partitionIndex() < 0 || p.partitionIndex() >= topic.partitionCount()) {
                    partition.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                var log = topic.partition(p.partitionIndex());
                long offset = Math.max(log.logStartOffset(), Math.min(p.startOffset(), log.highWatermark()));
                offsets.put(new TopicPartition(t.topicName(), p.partitionIndex()), offset);
                valid.add(partition);
            }
        }
        ShareAdmin.Change change = engine.admin().alterStartOffsets(request.groupId(), offsets);
        if (change.error() != ShareError.NONE) {
            Errors error = ShareErrors.of(change.error());
            response.setErrorCode(error.code()).setErrorMessage("Share group " + request.groupId()
                    + (change.error() == ShareError.NON_EMPTY_GROUP ? " has members" : ": " + error.name()));
            valid.forEach(p -> p.setErrorCode(error.code()));
            context.respond(response);
            return;
        }
        change.durable().whenComplete((v, failure) -> {
            if (failure != null) {
                valid.forEach(p -> p.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()));
            }
            context.respond(response);
        });
    }
}
