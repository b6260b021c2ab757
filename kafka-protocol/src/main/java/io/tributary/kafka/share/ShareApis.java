package io.tributary.kafka.share;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.FetchPurgatory;
import io.tributary.kafka.group.ListGroupsHandler;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.TransactionView;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** The handlers of the share-group APIs over the broker's one share engine. */
public final class ShareApis {
    private ShareApis() {
    }

    /**
     * Adds one handler per share-group API to {@code handlers}; the share sessions are this listener's. Call
     * after the group and admin APIs are registered: ListGroups, DeleteGroups, DescribeConfigs and
     * IncrementalAlterConfigs are replaced by handlers that also cover share groups (GROUP config resources)
     * and hand everything else to the ones they replace. {@code transactions} gives a partition's last stable
     * offset and aborted transactions, for groups with {@code share.isolation.level=read_committed};
     * ConsumerGroupHeartbeat and JoinGroup are guarded so a
     * share group's id cannot become a consumer or classic group ({@link GroupTypeGuardHandler}).
     */
    public static void register(Map<ApiKeys, ApiHandler> handlers, ShareEngine engine, GroupCoordinator groups,
                                LogManager log, FetchPurgatory purgatory, Executor reads,
                                Function<PartitionLog, TransactionView> transactions) {
        ShareSessions sessions = new ShareSessions();
        handlers.put(ApiKeys.SHARE_GROUP_HEARTBEAT, new ShareGroupHeartbeatHandler(engine, groups, log, sessions));
        handlers.put(ApiKeys.SHARE_FETCH, new ShareFetchHandler(engine, log, sessions, purgatory, reads, transactions));
        handlers.put(ApiKeys.SHARE_ACKNOWLEDGE, new ShareAcknowledgeHandler(engine, log, sessions));
        handlers.put(ApiKeys.SHARE_GROUP_DESCRIBE, new ShareGroupDescribeHandler(engine, groups, log));
        handlers.put(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, new DescribeShareGroupOffsetsHandler(engine, log));
        handlers.put(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, new AlterShareGroupOffsetsHandler(engine, groups, log));
        handlers.put(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, new DeleteShareGroupOffsetsHandler(engine, groups, log));
        handlers.put(ApiKeys.LIST_GROUPS, new ListGroupsHandler(groups, engine));
        handlers.put(ApiKeys.DELETE_GROUPS, new ShareAwareDeleteGroupsHandler(engine, handlers.get(ApiKeys.DELETE_GROUPS)));
        handlers.put(ApiKeys.DESCRIBE_GROUPS,
                new ShareAwareDescribeGroupsHandler(engine, handlers.get(ApiKeys.DESCRIBE_GROUPS)));
        handlers.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                new GroupTypeGuardHandler(engine, handlers.get(ApiKeys.CONSUMER_GROUP_HEARTBEAT)));
        handlers.put(ApiKeys.JOIN_GROUP, new GroupTypeGuardHandler(engine, handlers.get(ApiKeys.JOIN_GROUP)));
        handlers.put(ApiKeys.DESCRIBE_CONFIGS,
                new GroupConfigsDescribeHandler(engine, handlers.get(ApiKeys.DESCRIBE_CONFIGS)));
        handlers.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS,
                new GroupConfigsAlterHandler(engine, handlers.get(ApiKeys.INCREMENTAL_ALTER_CONFIGS)));
        handlers.put(ApiKeys.ALTER_CONFIGS,
                new LegacyGroupConfigsAlterHandler(engine, handlers.get(ApiKeys.ALTER_CONFIGS)));
    }
}
