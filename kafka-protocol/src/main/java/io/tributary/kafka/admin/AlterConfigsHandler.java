package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * AlterConfigs (v0-2), the legacy whole-set form, on the admin executor: the configs given become
 * the resource's complete set of overrides (keys left out revert to their defaults). Checks as
 * Kafka's: a resource listed twice, a key listed twice or a null value INVALID_REQUEST; for topics
 * see {@link TopicConfigs#checkAlterable} and {@link TopicConfigs#replace}; broker resources accept
 * only an empty set ({@link BrokerConfigs#refuseChanges}). {@code validateOnly} changes nothing.
 */
final class AlterConfigsHandler implements ApiHandler {
    private final TopicConfigs topics;
    private final BrokerConfigs broker;
    private final Executor admin;

    AlterConfigsHandler(TopicConfigs topics, BrokerConfigs broker, Executor admin) {
        this.topics = topics;
        this.broker = broker;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        AlterConfigsRequestData request = (AlterConfigsRequestData) context.request().body();
        AdminWork.run(context, admin, () -> alterAll(request));
    }

    private AlterConfigsResponseData alterAll(AlterConfigsRequestData request) {
        Predicate<AlterConfigsResource> listedTwice = ConfigDuplicates.listedTwice(request.resources(),
                AlterConfigsResource::resourceType, AlterConfigsResource::resourceName);
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsResource resource : request.resources()) {
            ConfigError outcome = listedTwice.test(resource)
                    ? ConfigDuplicates.RESOURCE_LISTED_TWICE
                    : alter(resource, request.validateOnly());
            response.responses().add(new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName()).setErrorCode(outcome.error().code())
                    .setErrorMessage(outcome.message()));
        }
        return response;
    }

    private ConfigError alter(AlterConfigsResource resource, boolean validateOnly) {
        if (ConfigDuplicates.firstRepeatedKey(resource.configs(), AlterableConfig::name) >= 0) {
            return ConfigDuplicates.KEY_LISTED_TWICE;
        }
        Map<String, String> configs = new LinkedHashMap<>();
        List<String> nulls = new ArrayList<>();
        for (AlterableConfig config : resource.configs()) {
            if (config.value() == null) {
                nulls.add(config.name());
            }
            configs.put(config.name(), config.value());
        }
        if (!nulls.isEmpty()) {
            return new ConfigError(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", nulls));
        }
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type == ConfigResource.Type.TOPIC) {
            ConfigError unalterable = topics.checkAlterable(resource.resourceName());
            return unalterable.isError() ? unalterable : topics.replace(resource.resourceName(), configs, validateOnly);
        }
        if (type == ConfigResource.Type.BROKER) {
            ConfigError invalid = broker.checkName(resource.resourceName());
            return invalid.isError() ? invalid : broker.refuseChanges(configs.keySet());
        }
        return new ConfigError(Errors.INVALID_REQUEST, "Unsupported resource type: " + type);
    }
}
