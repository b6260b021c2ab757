package io.tributary.kafka.group;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.ConsumerHeartbeatRequest;
import io.tributary.delivery.group.ConsumerHeartbeatResult;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ConsumerGroupHeartbeat (KIP-848). Owned and assigned partitions travel by topic id here; the
 * coordinator works by name, so ids are translated through the log (owned partitions of a topic
 * that no longer exists are dropped).
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final TopicIds topics;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator, TopicIds topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    @Override
    public void handle(RequestContext context) {
        ConsumerGroupHeartbeatRequestData request = (ConsumerGroupHeartbeatRequestData) context.request().body();
        List<TopicPartition> owned = null;
        if (request.topicPartitions() != null) {
            owned = new ArrayList<>();
            for (ConsumerGroupHeartbeatRequestData.TopicPartitions tps : request.topicPartitions()) {
                String name = topics.nameOf(tps.topicId());
                if (name != null) {
                    for (int p : tps.partitions()) {
                        owned.add(new TopicPartition(name, p));
                    }
                }
            }
        }
        ConsumerHeartbeatResult result = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest(
                request.groupId(), request.memberId(), request.memberEpoch(), request.instanceId(), request.rackId(),
                request.rebalanceTimeoutMs(), request.subscribedTopicNames(), request.subscribedTopicRegex(),
                request.serverAssignor(), owned, context.request().header().clientId(), JoinGroupHandler.host(context)));
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(GroupErrors.code(result.error())).setErrorMessage(result.errorMessage())
                .setMemberId(result.memberId()).setMemberEpoch(result.memberEpoch())
                .setHeartbeatIntervalMs(result.heartbeatIntervalMs());
        if (result.assignment() != null) {
            ConsumerGroupHeartbeatResponseData.Assignment assignment = new ConsumerGroupHeartbeatResponseData.Assignment();
            for (Map.Entry<String, List<Integer>> topic : byTopic(result.assignment()).entrySet()) {
                Uuid id = topics.idOf(topic.getKey());
                if (!Uuid.ZERO_UUID.equals(id)) {
                    assignment.topicPartitions().add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                            .setTopicId(id).setPartitions(topic.getValue()));
                }
            }
            response.setAssignment(assignment);
        }
        context.respond(response);
    }

    static Map<String, List<Integer>> byTopic(Iterable<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        byTopic.values().forEach(list -> list.sort(Integer::compare));
        return byTopic;
    }
}
