package io.tributary.kafka.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.OffsetAndMetadata;
import io.tributary.delivery.group.OffsetFetchResult;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OffsetFetch: one group by topic name before v8, a batch of groups from v8; v9 carries the member id and
 * epoch of consumer-protocol members (STALE_MEMBER_EPOCH, UNKNOWN_MEMBER_ID for the whole group), v10
 * addresses topics by id, as the KIP-848 consumer asks once it knows them. A requested id the log does not
 * know answers UNKNOWN_TOPIC_ID for its partitions, after the known topics, as Kafka 4.4 does; fetching all
 * of a group's offsets at v10 leaves out topics that no longer exist, which have no id to send. A partition
 * without a committed offset answers -1. With RequireStable (v7+, sent by read_committed consumers), a
 * partition whose offset an open transaction holds answers UNSTABLE_OFFSET_COMMIT, which the client retries
 * until the transaction ends.
 */
public final class OffsetFetchHandler implements ApiHandler {
    /** The first version that addresses topics by id instead of by name. */
    static final short TOPIC_ID_VERSION = 10;
    private static final UnstableOffsets NONE_UNSTABLE = (group, topic, partition) -> false;

    private final GroupCoordinator coordinator;
    private final UnstableOffsets unstable;
    private final TopicIds topics;

    public OffsetFetchHandler(GroupCoordinator coordinator, UnstableOffsets unstable, TopicIds topics) {
        this.coordinator = coordinator;
        this.unstable = unstable;
        this.topics = topics;
    }

    @Override
    public void handle(RequestContext context) {
        OffsetFetchRequestData request = (OffsetFetchRequestData) context.request().body();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        UnstableOffsets check = request.requireStable() ? unstable : NONE_UNSTABLE;
        short version = context.request().apiVersion();
        if (version >= 8) {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
                response.groups().add(fetchGroup(group, version >= TOPIC_ID_VERSION, check));
            }
        } else {
            fetchSingleGroup(request, response, check);
        }
        context.respond(response);
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetchGroup(
            OffsetFetchRequestData.OffsetFetchRequestGroup group, boolean byId, UnstableOffsets check) {
        List<TopicPartition> wanted = null;
        List<OffsetFetchResponseTopics> unknownIds = new ArrayList<>();
        if (group.topics() != null) {
            wanted = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopics t : group.topics()) {
                String name = byId ? topics.nameOf(t.topicId()) : t.name();
                if (name == null) {
                    unknownIds.add(unknownId(t));
                    continue;
                }
                for (int p : t.partitionIndexes()) {
                    wanted.add(new TopicPartition(name, p));
                }
            }
        }
        OffsetFetchResult result = coordinator.fetchOffsets(group.groupId(), group.memberId(), group.memberEpoch(),
                wanted);
        OffsetFetchResponseData.OffsetFetchResponseGroup out = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId(group.groupId()).setErrorCode(GroupErrors.code(result.error()));
        if (result.error() != GroupError.NONE) {
            return out;
        }
        for (Map.Entry<String, Map<Integer, OffsetAndMetadata>> topic : byTopic(wanted, result).entrySet()) {
            Uuid id = topics.idOf(topic.getKey());
            if (byId && id.equals(Uuid.ZERO_UUID)) {
                continue;
            }
            OffsetFetchResponseTopics topicOut = new OffsetFetchResponseTopics().setName(topic.getKey()).setTopicId(id);
            topic.getValue().forEach((partition, offset) -> {
                boolean held = check.isUnstable(group.groupId(), topic.getKey(), partition);
                topicOut.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(partition)
                        .setCommittedOffset(offset == null || held ? -1L : offset.offset())
                        .setCommittedLeaderEpoch(offset == null || held ? -1 : offset.leaderEpoch())
                        .setMetadata(offset == null ? "" : offset.metadata())
                        .setErrorCode(held ? Errors.UNSTABLE_OFFSET_COMMIT.code() : Errors.NONE.code()));
            });
            out.topics().add(topicOut);
        }
        out.topics().addAll(unknownIds);
        return out;
    }

    private static OffsetFetchResponseTopics unknownId(OffsetFetchRequestData.OffsetFetchRequestTopics t) {
        OffsetFetchResponseTopics topic = new OffsetFetchResponseTopics().setTopicId(t.topicId());
        t.partitionIndexes().forEach(p -> topic.partitions().add(new OffsetFetchResponsePartitions()
                .setPartitionIndex(p).setCommittedOffset(-1).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
        return topic;
    }

    /** Versions 1-7: one group, a top-level error from v2, the error also on every partition. */
    private void fetchSingleGroup(OffsetFetchRequestData request, OffsetFetchResponseData response,
                                  UnstableOffsets check) {
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
        for (Map.Entry<String, Map<Integer, OffsetAndMetadata>> topic : byTopic(wanted, result).entrySet()) {
            OffsetFetchResponseData.OffsetFetchResponseTopic out =
                    new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.getKey());
            topic.getValue().forEach((partition, offset) -> {
                boolean held = check.isUnstable(request.groupId(), topic.getKey(), partition);
                out.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                        .setPartitionIndex(partition)
                        .setCommittedOffset(offset == null || held ? -1L : offset.offset())
                        .setCommittedLeaderEpoch(offset == null || held ? -1 : offset.leaderEpoch())
                        .setMetadata(offset == null ? "" : offset.metadata())
                        .setErrorCode(held ? Errors.UNSTABLE_OFFSET_COMMIT.code() : GroupErrors.code(result.error())));
            });
            response.topics().add(out);
        }
    }

    /**
     * Requested partitions in request order (null offset when none is committed), or every committed one in
     * topic-name order.
     */
    private static Map<String, Map<Integer, OffsetAndMetadata>> byTopic(List<TopicPartition> wanted,
                                                                        OffsetFetchResult result) {
        Map<String, Map<Integer, OffsetAndMetadata>> byTopic = wanted != null ? new LinkedHashMap<>() : new TreeMap<>();
        Iterable<TopicPartition> partitions = wanted != null ? wanted : result.offsets().keySet();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), result.offsets().get(tp));
        }
        return byTopic;
    }
}
