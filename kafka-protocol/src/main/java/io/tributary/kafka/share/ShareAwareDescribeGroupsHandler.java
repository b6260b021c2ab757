package io.tributary.kafka.share;

import io.tributary.delivery.share.ShareEngine;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups as Kafka 4.4 answers it for a share group's id: the classic-group API does not describe share
 * groups, so the group is Dead with GROUP_ID_NOT_FOUND ("Group g is not a classic group.") from v6, and Dead
 * with no error before (as for an unknown group). Everything else is the classic handler's answer.
 */
final class ShareAwareDescribeGroupsHandler implements ApiHandler {
    private final ShareEngine engine;
    private final ApiHandler classic;

    ShareAwareDescribeGroupsHandler(ShareEngine engine, ApiHandler classic) {
        this.engine = engine;
        this.classic = classic;
    }

    @Override
    public void handle(RequestContext context) {
        CompletableFuture<DescribeGroupsResponseData> answer = new CompletableFuture<>();
        classic.handle(new SubRequest<>(context, context.request().body(), answer));
        answer.whenComplete((response, failure) -> {
            if (failure != null) {
                context.closeConnection("DescribeGroups failed: " + failure);
                return;
            }
            for (DescribeGroupsResponseData.DescribedGroup group : response.groups()) {
                if (group.errorCode() == Errors.GROUP_ID_NOT_FOUND.code() && engine.exists(group.groupId())) {
                    group.setErrorMessage("Group " + group.groupId() + " is not a classic group.");
                }
            }
            context.respond(response);
        });
    }
}
