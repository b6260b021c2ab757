package io.tributary.kafka.share;

import io.tributary.delivery.share.ShareEngine;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.FetchPurgatory;
import io.tributary.log.LogManager;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Map;
import java.util.concurrent.Executor;

/** The handlers of the share-group APIs over the broker's one share engine. */
public final class ShareApis {
    private ShareApis() {
    }

    /** Adds one handler per share-group API to {@code handlers}; the share sessions are this listener's. */
    public static void register(Map<ApiKeys, ApiHandler> handlers, ShareEngine engine, LogManager log,
                                FetchPurgatory purgatory, Executor reads) {
        ShareSessions sessions = new ShareSessions();
        handlers.put(ApiKeys.SHARE_GROUP_HEARTBEAT, new ShareGroupHeartbeatHandler(engine, log, sessions));
        handlers.put(ApiKeys.SHARE_FETCH, new ShareFetchHandler(engine, log, sessions, purgatory, reads));
        handlers.put(ApiKeys.SHARE_ACKNOWLEDGE, new ShareAcknowledgeHandler(engine, log, sessions));
    }
}
