package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.HeartbeatRequest;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;

/** Heartbeat (classic protocol): keeps the session alive and tells the member of a rebalance. */
public final class HeartbeatHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        HeartbeatRequestData request = (HeartbeatRequestData) context.request().body();
        context.respond(new HeartbeatResponseData().setErrorCode(GroupErrors.code(coordinator.heartbeat(
                new HeartbeatRequest(request.groupId(), request.memberId(), request.groupInstanceId(),
                        request.generationId())))));
    }
}
