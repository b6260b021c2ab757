package io.tributary.kafka.share;

import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareGroupConfigs;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs with GROUP resources: the share-group configs ({@link ShareGroupConfigs}) of any group id,
 * a set one as GROUP_CONFIG, else its default as DEFAULT_CONFIG, as Kafka answers for a group whether or not
 * it exists. Only the share-group configs are listed (Kafka also lists the consumer and streams group
 * configs). Synonyms as Kafka lists them: a set config's GROUP_CONFIG value, then the DEFAULT_CONFIG the group
 * falls back to, named by its broker key where Kafka has one ({@code group.share.record.lock.duration.ms}), so
 * {@code kafka-configs --describe --entity-type groups} shows what deleting the config would give. Every other
 * resource goes to the topic and broker handler, and the answers are merged in request order.
 */
final class GroupConfigsDescribeHandler implements ApiHandler {
    /** The group configs whose default Kafka names by a broker key: {@code group.} + the config's name. */
    private static final Set<String> BROKER_DEFAULTS = Set.of(ShareGroupConfigs.RECORD_LOCK_DURATION_MS,
            ShareGroupConfigs.DELIVERY_COUNT_LIMIT, ShareGroupConfigs.HEARTBEAT_INTERVAL_MS,
            ShareGroupConfigs.SESSION_TIMEOUT_MS, ShareGroupConfigs.PARTITION_MAX_RECORD_LOCKS,
            ShareGroupConfigs.ASSIGNMENT_INTERVAL_MS);

    private final ShareEngine engine;
    private final ApiHandler others;

    GroupConfigsDescribeHandler(ShareEngine engine, ApiHandler others) {
        this.engine = engine;
        this.others = others;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) context.request().body();
        if (request.resources().stream().noneMatch(GroupConfigsDescribeHandler::isGroup)) {
            others.handle(context);
            return;
        }
        short version = context.request().apiVersion();
        List<DescribeConfigsRequestData.DescribeConfigsResource> rest = new ArrayList<>();
        request.resources().stream().filter(r -> !isGroup(r)).forEach(rest::add);
        CompletableFuture<DescribeConfigsResponseData> otherAnswer = new CompletableFuture<>();
        if (rest.isEmpty()) {
            otherAnswer.complete(new DescribeConfigsResponseData());
        } else {
            others.handle(new SubRequest<>(context, request.duplicate().setResources(rest), otherAnswer));
        }
        otherAnswer.whenComplete((answer, failure) -> {
            if (failure != null) {
                context.closeConnection("DescribeConfigs failed: " + failure);
                return;
            }
            DescribeConfigsResponseData response = new DescribeConfigsResponseData();
            int next = 0;
            for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
                if (isGroup(resource)) {
                    response.results().add(describe(resource, request.includeSynonyms(), version));
                } else {
                    response.results().add(answer.results().get(next++));
                }
            }
            context.respond(response);
        });
    }

    private DescribeConfigsResponseData.DescribeConfigsResult describe(
            DescribeConfigsRequestData.DescribeConfigsResource resource, boolean synonyms, short version) {
        DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                .setResourceType(resource.resourceType()).setResourceName(resource.resourceName())
                .setErrorCode(Errors.NONE.code());
        Map<String, String> set = engine.groupConfigs(resource.resourceName());
        Map<String, String> values = ShareGroupConfigs.values(engine.config(), set);
        Map<String, String> defaults = ShareGroupConfigs.values(engine.config(), Map.of());
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (resource.configurationKeys() != null && !resource.configurationKeys().contains(e.getKey())) {
                continue;
            }
            byte source = set.containsKey(e.getKey()) ? DescribeConfigsResponse.ConfigSource.GROUP_CONFIG.id()
                    : DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id();
            DescribeConfigsResponseData.DescribeConfigsResourceResult config =
                    new DescribeConfigsResponseData.DescribeConfigsResourceResult().setName(e.getKey())
                            .setValue(e.getValue()).setReadOnly(false).setConfigSource(source).setIsSensitive(false);
            if (synonyms) {
                if (set.containsKey(e.getKey())) {
                    config.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                            .setName(e.getKey()).setValue(e.getValue()).setSource(source));
                }
                config.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                        .setName(BROKER_DEFAULTS.contains(e.getKey()) ? "group." + e.getKey() : e.getKey())
                        .setValue(defaults.get(e.getKey()))
                        .setSource(DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id()));
            }
            if (version >= 3) {
                config.setConfigType((switch (ShareGroupConfigs.type(e.getKey())) {
                    case INT -> DescribeConfigsResponse.ConfigType.INT;
                    case LONG -> DescribeConfigsResponse.ConfigType.LONG;
                    case BOOLEAN -> DescribeConfigsResponse.ConfigType.BOOLEAN;
                    case STRING -> DescribeConfigsResponse.ConfigType.STRING;
                }).id());
            }
            result.configs().add(config);
        }
        return result;
    }

    static boolean isGroup(DescribeConfigsRequestData.DescribeConfigsResource resource) {
        return ConfigResource.Type.forId(resource.resourceType()) == ConfigResource.Type.GROUP;
    }
}
