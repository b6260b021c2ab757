package io.tributary.kafka.share;

import io.tributary.delivery.share.ShareAdmin;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteGroups over both kinds of groups: share groups are deleted by the share engine (NON_EMPTY_GROUP while
 * they have members), every other id goes to the consumer-group handler, and the answers are merged in
 * request order.
 */
final class ShareAwareDeleteGroupsHandler implements ApiHandler {
    private final ShareEngine engine;
    private final ApiHandler groups;

    ShareAwareDeleteGroupsHandler(ShareEngine engine, ApiHandler groups) {
        this.engine = engine;
        this.groups = groups;
    }

    @Override
    public void handle(RequestContext context) {
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) context.request().body();
        Map<String, Short> shareResults = new LinkedHashMap<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String groupId : request.groupsNames()) {
            if (engine.exists(groupId)) {
                ShareAdmin.Change change = engine.admin().deleteGroup(groupId);
                shareResults.put(groupId, ShareErrors.of(change.error()).code());
                writes.add(change.durable());
            } else {
                others.add(groupId);
            }
        }
        if (shareResults.isEmpty()) {
            groups.handle(context);
            return;
        }
        CompletableFuture<DeleteGroupsResponseData> rest = new CompletableFuture<>();
        if (others.isEmpty()) {
            rest.complete(new DeleteGroupsResponseData());
        } else {
            DeleteGroupsRequestData subset = request.duplicate().setGroupsNames(others);
            groups.handle(new SubRequest<>(context, subset, rest));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenCombine(rest, (v, otherResponse) -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            for (String groupId : request.groupsNames()) {
                Short code = shareResults.get(groupId);
                if (code != null) {
                    response.results().add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId)
                            .setErrorCode(code));
                } else {
                    var result = otherResponse.results().find(groupId);
                    if (result != null) {
                        response.results().add(result.duplicate());
                    }
                }
            }
            return response;
        }).whenComplete((response, failure) -> {
            if (failure != null) {
                context.closeConnection("DeleteGroups failed: " + failure);
            } else {
                context.respond(response);
            }
        });
    }
}
