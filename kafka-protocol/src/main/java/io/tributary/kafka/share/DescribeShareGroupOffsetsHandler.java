package io.tributary.kafka.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.share.ShareAdmin;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * DescribeShareGroupOffsets (v0-1): each share partition's start offset and, from v1, its lag (records from
 * the start to the high watermark not yet acknowledged or archived). Partitions the group never read answer
 * start offset -1; a null topic list means every partition the group has read. An unknown group gets
 * GROUP_ID_NOT_FOUND.
 */
public final class DescribeShareGroupOffsetsHandler implements ApiHandler {
    private final ShareEngine engine;
    private final LogManager log;

    DescribeShareGroupOffsetsHandler(ShareEngine engine, LogManager log) {
        this.engine = engine;
        this.log = log;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeShareGroupOffsetsRequestData request = (DescribeShareGroupOffsetsRequestData) context.request().body();
        DescribeShareGroupOffsetsResponseData response = new DescribeShareGroupOffsetsResponseData();
        for (DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup g : request.groups()) {
            DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup out =
                    new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup()
                            .setGroupId(g.groupId());
            response.groups().add(out);
            Set<TopicPartition> wanted = null;
            if (g.topics() != null) {
                wanted = new HashSet<>();
                for (var t : g.topics()) {
                    for (int p : t.partitions()) {
                        wanted.add(new TopicPartition(t.topicName(), p));
                    }
                }
            }
            Map<TopicPartition, ShareAdmin.StartOffset> offsets = engine.admin().startOffsets(g.groupId(), wanted);
            if (offsets == null) {
                out.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage("Group " + g.groupId() + " is not a share group.");
                continue;
            }
            Map<String, DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic> topics =
                    new TreeMap<>();
            if (wanted == null) {
                offsets.forEach((tp, start) -> partition(topics, tp).setStartOffset(start.startOffset())
                        .setLag(start.lag()));
            } else {
                for (TopicPartition tp : wanted) {
                    var partition = partition(topics, tp);
                    Topic topic = log.topic(tp.topic()).orElse(null);
                    if (topic == null || tp.partition() < 0 || tp.partition() >= topic.partitionCount()) {
                        partition.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setStartOffset(-1).setLag(-1);
                        continue;
                    }
                    ShareAdmin.StartOffset start = offsets.get(tp);
                    partition.setStartOffset(start == null ? -1 : start.startOffset())
                            .setLag(start == null ? -1 : start.lag());
                }
            }
            out.topics().addAll(topics.values());
        }
        context.respond(response);
    }

    private DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition partition(
            Map<String, DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic> topics,
            TopicPartition tp) {
        var topic = topics.computeIfAbsent(tp.topic(), name -> new DescribeShareGroupOffsetsResponseData
                .DescribeShareGroupOffsetsResponseTopic().setTopicName(name)
                .setTopicId(log.topic(name).map(Topics::kafkaId).orElse(Uuid.ZERO_UUID)));
        var partition = new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition()
                .setPartitionIndex(tp.partition()).setLeaderEpoch(0);
        topic.partitions().add(partition);
        return partition;
    }
}
