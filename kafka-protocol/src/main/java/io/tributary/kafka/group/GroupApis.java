package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupScheduler;
import io.tributary.delivery.group.store.LogGroupStore;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.BrokerEndpoint;
import io.tributary.spi.BrokerServices;
import org.apache.kafka.common.protocol.ApiKeys;

import java.io.IOException;
import java.util.Map;

/**
 * The group coordinator behind a Kafka listener and the handlers of its APIs. Starting it replays
 * {@code __consumer_offsets}; closing it stops the coordinator's timer thread.
 *
 * <p>Wiring note: each listener owns one coordinator. With several Kafka listeners on one broker
 * they must share one instead (a {@code groups()} service in {@code BrokerServices}).
 */
public final class GroupApis implements AutoCloseable {
    private final GroupScheduler scheduler;
    private final GroupCoordinator coordinator;
    private final TopicIds topics;

    private GroupApis(GroupScheduler scheduler, GroupCoordinator coordinator, TopicIds topics) {
        this.scheduler = scheduler;
        this.coordinator = coordinator;
        this.topics = topics;
    }

    /** Opens the group store over the broker's log and pipeline and starts the coordinator. */
    public static GroupApis start(BrokerServices services) throws IOException {
        TopicIds topics = new TopicIds(services.log());
        LogGroupStore store = LogGroupStore.open(services.log(), services.ingest(),
                GroupSettings.storeFrom(services.settings().all()));
        GroupScheduler scheduler = GroupScheduler.system();
        try {
            GroupCoordinator coordinator = GroupCoordinator.start(GroupSettings.from(services.settings().all()),
                    scheduler, store, topics);
            return new GroupApis(scheduler, coordinator, topics);
        } catch (IOException | RuntimeException e) {
            scheduler.close();
            throw e;
        }
    }

    /** Adds one handler per group API to {@code handlers}. */
    public void register(Map<ApiKeys, ApiHandler> handlers, BrokerEndpoint self) {
        handlers.put(ApiKeys.FIND_COORDINATOR, new FindCoordinatorHandler(self));
        handlers.put(ApiKeys.JOIN_GROUP, new JoinGroupHandler(coordinator));
        handlers.put(ApiKeys.SYNC_GROUP, new SyncGroupHandler(coordinator));
        handlers.put(ApiKeys.HEARTBEAT, new HeartbeatHandler(coordinator));
        handlers.put(ApiKeys.LEAVE_GROUP, new LeaveGroupHandler(coordinator));
        handlers.put(ApiKeys.OFFSET_COMMIT, new OffsetCommitHandler(coordinator, topics));
        handlers.put(ApiKeys.OFFSET_FETCH, new OffsetFetchHandler(coordinator));
        handlers.put(ApiKeys.OFFSET_DELETE, new OffsetDeleteHandler(coordinator));
        handlers.put(ApiKeys.LIST_GROUPS, new ListGroupsHandler(coordinator));
        handlers.put(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsHandler(coordinator));
        handlers.put(ApiKeys.DELETE_GROUPS, new DeleteGroupsHandler(coordinator));
        handlers.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, new ConsumerGroupHeartbeatHandler(coordinator, topics));
        handlers.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, new ConsumerGroupDescribeHandler(coordinator, topics));
    }

    public GroupCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        coordinator.close();
        scheduler.close();
    }
}
