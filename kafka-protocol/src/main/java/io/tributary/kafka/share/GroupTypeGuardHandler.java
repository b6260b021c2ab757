package io.tributary.kafka.share;

import io.tributary.delivery.share.ShareEngine;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Keeps consumer and classic groups off the ids of share groups, as Kafka does (a group has one type and
 * is never converted to or from a share group): ConsumerGroupHeartbeat for a share group's id is answered
 * GROUP_ID_NOT_FOUND ("Group g is not a consumer group."), JoinGroup INCONSISTENT_GROUP_PROTOCOL; every
 * other request goes to the handler it wraps.
 */
final class GroupTypeGuardHandler implements ApiHandler {
    private final ShareEngine engine;
    private final ApiHandler next;

    GroupTypeGuardHandler(ShareEngine engine, ApiHandler next) {
        this.engine = engine;
        this.next = next;
    }

    @Override
    public void handle(RequestContext context) {
        Object body = context.request().body();
        if (body instanceof ConsumerGroupHeartbeatRequestData heartbeat && engine.exists(heartbeat.groupId())) {
            context.respond(new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + heartbeat.groupId() + " is not a consumer group."));
            return;
        }
        if (body instanceof JoinGroupRequestData join && engine.exists(join.groupId())) {
            context.respond(new JoinGroupResponseData().setErrorCode(Errors.INCONSISTENT_GROUP_PROTOCOL.code())
                    .setMemberId(join.memberId()).setGenerationId(-1).setProtocolType(join.protocolType()));
            return;
        }
        next.handle(context);
    }
}
