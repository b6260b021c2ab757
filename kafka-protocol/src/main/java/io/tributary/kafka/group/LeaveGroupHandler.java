package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.LeaveGroupResult;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;

import java.util.ArrayList;
import java.util.List;

/** LeaveGroup (classic protocol): one member before v3, a batch (possibly by instance id) from v3. */
public final class LeaveGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        LeaveGroupRequestData request = (LeaveGroupRequestData) context.request().body();
        boolean batch = context.request().apiVersion() >= 3;
        List<LeaveGroupResult.LeavingMember> leaving = new ArrayList<>();
        if (batch) {
            request.members().forEach(m -> leaving.add(new LeaveGroupResult.LeavingMember(m.memberId(), m.groupInstanceId())));
        } else {
            leaving.add(new LeaveGroupResult.LeavingMember(request.memberId(), null));
        }
        LeaveGroupResult result = coordinator.leaveGroup(request.groupId(), leaving);
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (batch) {
            response.setErrorCode(GroupErrors.code(result.error()));
            for (int i = 0; i < leaving.size(); i++) {
                response.members().add(new LeaveGroupResponseData.MemberResponse()
                        .setMemberId(leaving.get(i).memberId()).setGroupInstanceId(leaving.get(i).groupInstanceId())
                        .setErrorCode(GroupErrors.code(result.memberErrors().get(i))));
            }
        } else {
            GroupError error = result.error() != GroupError.NONE ? result.error() : result.memberErrors().get(0);
            response.setErrorCode(GroupErrors.code(error));
        }
        context.respond(response);
    }
}
