package io.tributary.kafka.share;

import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareGroupConfigs;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs with GROUP resources: SET and DELETE of the share-group configs
 * ({@link ShareGroupConfigs}) of any group id, all of a resource's changes or none; an unknown name, a value
 * out of range, APPEND or SUBTRACT get INVALID_CONFIG, a key listed twice INVALID_REQUEST. Answered once
 * durable ({@code validateOnly} changes nothing). Other resources go to the topic and broker handler.
 */
final class GroupConfigsAlterHandler implements ApiHandler {
    private final ShareEngine engine;
    private final ApiHandler others;

    GroupConfigsAlterHandler(ShareEngine engine, ApiHandler others) {
        this.engine = engine;
        this.others = others;
    }

    @Override
    public void handle(RequestContext context) {
        IncrementalAlterConfigsRequestData request = (IncrementalAlterConfigsRequestData) context.request().body();
        if (request.resources().stream().noneMatch(GroupConfigsAlterHandler::isGroup)) {
            others.handle(context);
            return;
        }
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection rest =
                new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        request.resources().stream().filter(r -> !isGroup(r)).forEach(r -> rest.add(r.duplicate()));
        CompletableFuture<IncrementalAlterConfigsResponseData> otherAnswer = new CompletableFuture<>();
        if (rest.isEmpty()) {
            otherAnswer.complete(new IncrementalAlterConfigsResponseData());
        } else {
            others.handle(new SubRequest<>(context, request.duplicate().setResources(rest), otherAnswer));
        }
        List<CompletableFuture<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse>> groups =
                new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            if (isGroup(resource)) {
                groups.add(alter(resource, request.validateOnly()));
            }
        }
        CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenCombine(otherAnswer, (v, answer) -> {
            IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
            int nextGroup = 0;
            int nextOther = 0;
            for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
                response.responses().add(isGroup(resource) ? groups.get(nextGroup++).join()
                        : answer.responses().get(nextOther++));
            }
            return response;
        }).whenComplete((response, failure) -> {
            if (failure != null) {
                context.closeConnection("IncrementalAlterConfigs failed: " + failure);
            } else {
                context.respond(response);
            }
        });
    }

    private CompletableFuture<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> alter(
            IncrementalAlterConfigsRequestData.AlterConfigsResource resource, boolean validateOnly) {
        IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse out =
                new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                        .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
        String group = resource.resourceName();
        Map<String, String> configs = new TreeMap<>(engine.groupConfigs(group));
        Set<String> seen = new HashSet<>();
        for (IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs()) {
            String problem = null;
            Errors error = Errors.INVALID_CONFIG;
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            if (!seen.add(config.name())) {
                error = Errors.INVALID_REQUEST;
                problem = "Error due to duplicate config keys";
            } else if (op == null) {
                error = Errors.INVALID_REQUEST;
                problem = "Unknown operations type " + config.configOperation();
            } else if (!ShareGroupConfigs.NAMES.contains(config.name())) {
                problem = "Unknown group config name: " + config.name();
            } else if (op == AlterConfigOp.OpType.SET) {
                problem = config.value() == null ? "Null value not supported for : " + config.name()
                        : ShareGroupConfigs.invalid(engine.config().bounds(), config.name(), config.value());
                if (problem == null) {
                    configs.put(config.name(), config.value());
                }
            } else if (op == AlterConfigOp.OpType.DELETE) {
                configs.remove(config.name());
            } else {
                problem = "Config value " + op.name().toLowerCase() + " is not allowed for config key: " + config.name();
            }
            if (problem != null) {
                return CompletableFuture.completedFuture(out.setErrorCode(error.code()).setErrorMessage(problem));
            }
        }
        String together = ShareGroupConfigs.invalidTogether(engine.config(), configs);
        if (together != null) {
            return CompletableFuture.completedFuture(out.setErrorCode(Errors.INVALID_CONFIG.code())
                    .setErrorMessage(together));
        }
        if (validateOnly) {
            return CompletableFuture.completedFuture(out.setErrorCode(Errors.NONE.code()));
        }
        return engine.setGroupConfigs(group, configs).handle((v, failure) -> failure == null
                ? out.setErrorCode(Errors.NONE.code())
                : out.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setErrorMessage("not written: " + failure));
    }

    static boolean isGroup(IncrementalAlterConfigsRequestData.AlterConfigsResource resource) {
        return ConfigResource.Type.forId(resource.resourceType()) == ConfigResource.Type.GROUP;
    }
}
