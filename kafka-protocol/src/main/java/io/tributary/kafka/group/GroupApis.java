package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.BrokerEndpoint;
import io.tributary.log.LogManager;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Map;

/**
 * The handlers of the group APIs over the broker's one group coordinator
 * ({@link io.tributary.spi.BrokerServices#groups()}), which every listener shares; OffsetFetch also
 * asks {@link UnstableOffsets} (the transaction coordinator) which offsets open transactions hold.
 */
public final class GroupApis {
    private GroupApis() {
    }

    /** Adds one handler per group API to {@code handlers}. */
    public static void register(Map<ApiKeys, ApiHandler> handlers, GroupCoordinator coordinator, LogManager log,
                                BrokerEndpoint self, UnstableOffsets unstable) {
        TopicIds topics = new TopicIds(log);
        handlers.put(ApiKeys.FIND_COORDINATOR, new FindCoordinatorHandler(self));
        handlers.put(ApiKeys.JOIN_GROUP, new JoinGroupHandler(coordinator));
        handlers.put(ApiKeys.SYNC_GROUP, new SyncGroupHandler(coordinator));
        handlers.put(ApiKeys.HEARTBEAT, new HeartbeatHandler(coordinator));
        handlers.put(ApiKeys.LEAVE_GROUP, new LeaveGroupHandler(coordinator));
        handlers.put(ApiKeys.OFFSET_COMMIT, new OffsetCommitHandler(coordinator, topics));
        handlers.put(ApiKeys.OFFSET_FETCH, new OffsetFetchHandler(coordinator, unstable, topics));
        handlers.put(ApiKeys.OFFSET_DELETE, new OffsetDeleteHandler(coordinator));
        handlers.put(ApiKeys.LIST_GROUPS, new ListGroupsHandler(coordinator));
        handlers.put(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsHandler(coordinator));
        handlers.put(ApiKeys.DELETE_GROUPS, new DeleteGroupsHandler(coordinator));
        handlers.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, new ConsumerGroupHeartbeatHandler(coordinator, topics));
        handlers.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, new ConsumerGroupDescribeHandler(coordinator, topics));
    }
}
