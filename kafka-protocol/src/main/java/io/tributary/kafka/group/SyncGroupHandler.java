package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.SyncGroupRequest;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashMap;
import java.util.Map;

/** SyncGroup (classic protocol): the leader hands in assignments; everyone gets theirs once it has. */
public final class SyncGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        SyncGroupRequestData request = (SyncGroupRequestData) context.request().body();
        Map<String, byte[]> assignments = new HashMap<>();
        request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        coordinator.syncGroup(new SyncGroupRequest(request.groupId(), request.memberId(), request.groupInstanceId(),
                request.generationId(), request.protocolType(), request.protocolName(), assignments))
                .whenComplete((result, failure) -> {
                    if (failure != null) {
                        context.respond(new SyncGroupResponseData().setErrorCode(Errors.forException(failure).code())
                                .setAssignment(new byte[0]));
                    } else {
                        context.respond(new SyncGroupResponseData().setErrorCode(GroupErrors.code(result.error()))
                                .setProtocolType(result.protocolType()).setProtocolName(result.protocolName())
                                .setAssignment(result.assignment()));
                    }
                });
    }
}
