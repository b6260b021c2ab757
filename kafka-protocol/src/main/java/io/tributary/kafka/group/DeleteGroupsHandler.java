package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;

/** DeleteGroups: empty groups are deleted with their offsets; NON_EMPTY_GROUP otherwise. */
public final class DeleteGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) context.request().body();
        coordinator.deleteGroups(request.groupsNames()).whenComplete((errors, failure) -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            for (String groupId : request.groupsNames()) {
                short code = failure != null ? Errors.forException(failure).code() : GroupErrors.code(errors.get(groupId));
                response.results().add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId)
                        .setErrorCode(code));
            }
            context.respond(response);
        });
    }
}
