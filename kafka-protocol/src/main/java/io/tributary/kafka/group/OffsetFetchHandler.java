package io.tributary.kafka.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.OffsetAndMetadata;
import io.tributary.delivery.group.OffsetFetchResult;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OffsetFetch by topic name: one group before v8, a batch from v8; v9 carries the member id and
 * epoch of consumer-protocol members. A partition without a committed offset answers -1. With
 * RequireStable (v7+, sent by read_committed consumers), a partition whose offset an open
 * transaction holds answers UNSTABLE_OFFSET_COMMIT, which the client retries until the transaction ends.
 */
public final class OffsetFetchHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final UnstableOffsets unstable;

    public OffsetFetchHandler(GroupCoordinator coordinator, UnstableOffsets unstable) {
        this.coordinator = coordinator;
        this.unstable = unstable;
    }

    @Override
    public void handle(RequestContext context) {
        OffsetFetchRequestData request = (OffsetFetchRequestData) context.request().body();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (context.request().apiVersion() >= 8) {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
                List<TopicPartition> wanted = null;
                if (group.topics() != null) {
                    wanted = new ArrayList<>();
                    for (OffsetFetchRequestData.OffsetFetchRequestTopics t : group.topics()) {
                        for (int p : t.partitionIndexes()) {
                            wanted.add(new TopicPartition(t.name(), p));
                        }
                    }
                }
                OffsetFetchResult result = coordinator.fetchOffsets(group.groupId(), group.memberId(),
                        group.memberEpoch(), wanted);
                response.groups().add(groupResponse(group.groupId(), wanted, result,
                        request.requireStable() ? unstable : NONE_UNSTABLE));
            }
        } else {
            List<TopicPartition> wanted = null;
            if (request.topics() != null) {
                wanted = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopic t : request.topics()) {
                    for (int p : t.partitionIndexes()) {
                        wanted.add(new TopicPartition(t.name(), p));
                    }
                }
            }
            OffsetFetchResult result = coordinator.fetchOffsets(request.groupId(), null, -1, wanted);
            response.setErrorCode(GroupErrors.code(result.error()));
            UnstableOffsets check = request.requireStable() ? unstable : NONE_UNSTABLE;
            for (Map.Entry<String, Map<Integer, OffsetAndMetadata>> topic : byTopic(wanted, result).entrySet()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic out =
                        new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.getKey());
                topic.getValue().forEach((partition, offset) -> {
                    boolean held = check.isUnstable(request.groupId(), topic.getKey(), partition);
                    out.partitions().add(
                        new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(partition)
                                .setCommittedOffset(offset == null || held ? -1L : offset.offset())
                                .setCommittedLeaderEpoch(offset == null || held ? -1 : offset.leaderEpoch())
                                .setMetadata(offset == null ? "" : offset.metadata())
                                .setErrorCode(held ? Errors.UNSTABLE_OFFSET_COMMIT.code()
                                        : GroupErrors.code(result.error())));
                });
                response.topics().add(out);
            }
        }
        context.respond(response);
    }

    private static final UnstableOffsets NONE_UNSTABLE = (group, topic, partition) -> false;

    private static OffsetFetchResponseData.OffsetFetchResponseGroup groupResponse(String groupId,
                                                                                  List<TopicPartition> wanted,
                                                                                  OffsetFetchResult result,
                                                                                  UnstableOffsets unstable) {
        OffsetFetchResponseData.OffsetFetchResponseGroup out = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId(groupId).setErrorCode(GroupErrors.code(result.error()));
        if (result.error() != GroupError.NONE) {
            return out;
        }
        for (Map.Entry<String, Map<Integer, OffsetAndMetadata>> topic : byTopic(wanted, result).entrySet()) {
            OffsetFetchResponseData.OffsetFetchResponseTopics topicOut =
                    new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic.getKey());
            topic.getValue().forEach((partition, offset) -> {
                boolean held = unstable.isUnstable(groupId, topic.getKey(), partition);
                topicOut.partitions().add(
                    new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(partition)
                            .setCommittedOffset(offset == null || held ? -1L : offset.offset())
                            .setCommittedLeaderEpoch(offset == null || held ? -1 : offset.leaderEpoch())
                            .setMetadata(offset == null ? "" : offset.metadata())
                            .setErrorCode(held ? Errors.UNSTABLE_OFFSET_COMMIT.code() : Errors.NONE.code()));
            });
            out.topics().add(topicOut);
        }
        return out;
    }

    /** Requested partitions (null offset when none is committed), or every committed one. */
    private static Map<String, Map<Integer, OffsetAndMetadata>> byTopic(List<TopicPartition> wanted,
                                                                        OffsetFetchResult result) {
        Map<String, Map<Integer, OffsetAndMetadata>> byTopic = new TreeMap<>();
        Iterable<TopicPartition> partitions = wanted != null ? wanted : result.offsets().keySet();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), result.offsets().get(tp));
        }
        return byTopic;
    }
}
