package io.tributary.kafka.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareError;
import io.tributary.delivery.share.ShareHeartbeat;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ShareGroupHeartbeat (KIP-932): join with a client-chosen member id and epoch 0, stay with the epoch
 * last returned, leave with -1. Every successful answer carries the member's whole assignment, by
 * topic id. Leaving also closes the member's share session, which releases its records.
 */
public final class ShareGroupHeartbeatHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupHeartbeatHandler.class);

    private final ShareEngine engine;
    private final GroupCoordinator groups;
    private final LogManager log;
    private final ShareSessions sessions;

    ShareGroupHeartbeatHandler(ShareEngine engine, GroupCoordinator groups, LogManager log, ShareSessions sessions) {
        this.engine = engine;
        this.groups = groups;
        this.log = log;
        this.sessions = sessions;
    }

    @Override
    public void handle(RequestContext context) {
        ShareGroupHeartbeatRequestData request = (ShareGroupHeartbeatRequestData) context.request().body();
        if (!engine.exists(request.groupId()) && isOtherGroup(groups, request.groupId())) {
            // as Kafka: a group keeps its type, a consumer or classic group never becomes a share group
            LOG.info("Share group {} member {}: heartbeat refused: GROUP_ID_NOT_FOUND (a consumer or classic group)",
                    request.groupId(), request.memberId());
            context.respond(new ShareGroupHeartbeatResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + request.groupId() + " is not a share group."));
            return;
        }
        ShareHeartbeat.Result result = engine.heartbeat(new ShareHeartbeat.Request(request.groupId(),
                request.memberId(), request.memberEpoch(), request.subscribedTopicNames(),
                context.request().header().clientId(), host(context.remoteAddress()),
                MemberSelectors.subscriptionDefinition(context.request().header().clientId(),
                        request.subscribedTopicNames())));
        ShareGroupHeartbeatResponseData response = new ShareGroupHeartbeatResponseData()
                .setErrorCode(ShareErrors.of(result.error()).code())
                .setMemberId(request.memberId())
                .setMemberEpoch(result.memberEpoch())
                .setHeartbeatIntervalMs(result.heartbeatIntervalMs());
        if (result.error() != ShareError.NONE) {
            response.setErrorMessage(message(result.error(), request));
            LOG.info("Share group {} member {}: heartbeat refused: {} ({})", request.groupId(), request.memberId(),
                    result.error().name(), response.errorMessage());
        }
        if (result.memberEpoch() == ShareHeartbeat.LEAVE_EPOCH && result.error() == ShareError.NONE) {
            sessions.remove(request.groupId(), request.memberId());
        }
        if (result.assignment() != null) {
            ShareGroupHeartbeatResponseData.Assignment assignment = new ShareGroupHeartbeatResponseData.Assignment();
            Map<String, List<Integer>> byTopic = new TreeMap<>();
            for (TopicPartition tp : result.assignment()) {
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
            }
            for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
                Uuid id = log.topic(topic.getKey()).map(Topics::kafkaId).orElse(Uuid.ZERO_UUID);
                if (!Uuid.ZERO_UUID.equals(id)) {
                    topic.getValue().sort(Integer::compare);
                    assignment.topicPartitions().add(new ShareGroupHeartbeatResponseData.TopicPartitions()
                            .setTopicId(id).setPartitions(topic.getValue()));
                }
            }
            response.setAssignment(assignment);
        }
        context.respond(response);
    }

    private static String message(ShareError error, ShareGroupHeartbeatRequestData request) {
        return switch (error) {
            case UNKNOWN_MEMBER_ID -> "Member " + request.memberId() + " is not in share group " + request.groupId();
            case FENCED_MEMBER_EPOCH -> "Member epoch " + request.memberEpoch() + " is not the member's current epoch";
            case INVALID_REQUEST -> "A share-group heartbeat needs a group id, a member id, and topics when joining";
            case INCONSISTENT_DEFINITION -> "Share group " + request.groupId() + " is a shared subscription whose"
                    + " members consume another topic or selector than this member (" + request.subscribedTopicNames()
                    + ", client id selector part): one subscription has one definition";
            default -> error.name();
        };
    }

    /** Whether {@code groupId} is a consumer or classic group of {@code groups}. */
    static boolean isOtherGroup(GroupCoordinator groups, String groupId) {
        return groupId != null && groups.listGroups(Set.of(), Set.of()).stream()
                .anyMatch(g -> g.groupId().equals(groupId));
    }

    static String host(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? "/" + inet.getAddress().getHostAddress() : String.valueOf(address);
    }
}
