package io.tributary.kafka.share;

import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareGroupConfigs;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * AlterConfigs (the legacy whole-set API) with GROUP resources, as Kafka 4.4 answers it: the share-group configs
 * given become the group's whole set (those left out go back to their defaults), all of a resource's or none; an
 * unknown name or a value out of range gets INVALID_CONFIG, a null value or a key listed twice INVALID_REQUEST.
 * Answered once durable ({@code validateOnly} changes nothing). No Java Admin sends it for groups (kafka-clients 4
 * dropped {@code alterConfigs}, 3.x has no GROUP resource); other clients may. Other resources go to the topic and
 * broker handler.
 */
final class LegacyGroupConfigsAlterHandler implements ApiHandler {
    private final ShareEngine engine;
    private final ApiHandler others;

    LegacyGroupConfigsAlterHandler(ShareEngine engine, ApiHandler others) {
        this.engine = engine;
        this.others = others;
    }

    @Override
    public void handle(RequestContext context) {
        AlterConfigsRequestData request = (AlterConfigsRequestData) context.request().body();
        if (request.resources().stream().noneMatch(LegacyGroupConfigsAlterHandler::isGroup)) {
            others.handle(context);
            return;
        }
        AlterConfigsRequestData.AlterConfigsResourceCollection rest =
                new AlterConfigsRequestData.AlterConfigsResourceCollection();
        request.resources().stream().filter(r -> !isGroup(r)).forEach(r -> rest.add(r.duplicate()));
        CompletableFuture<AlterConfigsResponseData> otherAnswer = new CompletableFuture<>();
        if (rest.isEmpty()) {
            otherAnswer.complete(new AlterConfigsResponseData());
        } else {
            others.handle(new SubRequest<>(context, request.duplicate().setResources(rest), otherAnswer));
        }
        List<CompletableFuture<AlterConfigsResponseData.AlterConfigsResourceResponse>> groups = new ArrayList<>();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            if (isGroup(resource)) {
                groups.add(replace(resource, request.validateOnly()));
            }
        }
        CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenCombine(otherAnswer, (v, answer) -> {
            AlterConfigsResponseData response = new AlterConfigsResponseData();
            int nextGroup = 0;
            int nextOther = 0;
            for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
                response.responses().add(isGroup(resource) ? groups.get(nextGroup++).join()
                        : answer.responses().get(nextOther++));
            }
            return response;
        }).whenComplete((response, failure) -> {
            if (failure != null) {
                context.closeConnection("AlterConfigs failed: " + failure);
            } else {
                context.respond(response);
            }
        });
    }

    private CompletableFuture<AlterConfigsResponseData.AlterConfigsResourceResponse> replace(
            AlterConfigsRequestData.AlterConfigsResource resource, boolean validateOnly) {
        AlterConfigsResponseData.AlterConfigsResourceResponse out = new AlterConfigsResponseData.AlterConfigsResourceResponse()
                .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
        TreeMap<String, String> configs = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (AlterConfigsRequestData.AlterableConfig config : resource.configs()) {
            Errors error = Errors.INVALID_CONFIG;
            String problem;
            if (!seen.add(config.name())) {
                error = Errors.INVALID_REQUEST;
                problem = "Error due to duplicate config keys";
            } else if (config.value() == null) {
                error = Errors.INVALID_REQUEST;
                problem = "Null value not supported for : " + config.name();
            } else if (!ShareGroupConfigs.NAMES.contains(config.name())) {
                problem = "Unknown group config name: " + config.name();
            } else {
                problem = ShareGroupConfigs.invalid(engine.config().bounds(), config.name(), config.value());
            }
            if (problem != null) {
                return CompletableFuture.completedFuture(out.setErrorCode(error.code()).setErrorMessage(problem));
            }
            configs.put(config.name(), config.value());
        }
        String together = ShareGroupConfigs.invalidTogether(engine.config(), configs);
        if (together != null) {
            return CompletableFuture.completedFuture(out.setErrorCode(Errors.INVALID_CONFIG.code())
                    .setErrorMessage(together));
        }
        if (validateOnly) {
            return CompletableFuture.completedFuture(out.setErrorCode(Errors.NONE.code()));
        }
        return engine.setGroupConfigs(resource.resourceName(), configs).handle((v, failure) -> failure == null
                ? out.setErrorCode(Errors.NONE.code())
                : out.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setErrorMessage("not written: " + failure));
    }

    static boolean isGroup(AlterConfigsRequestData.AlterConfigsResource resource) {
        return ConfigResource.Type.forId(resource.resourceType()) == ConfigResource.Type.GROUP;
    }
}
