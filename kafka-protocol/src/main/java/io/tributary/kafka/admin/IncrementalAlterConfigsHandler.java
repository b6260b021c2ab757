package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * IncrementalAlterConfigs (v0-1), on the admin executor: per key SET or DELETE on top of the
 * topic's current overrides. APPEND and SUBTRACT apply only to list-valued configs, and no topic
 * config of Tributary is a list, so they are INVALID_CONFIG naming the key, as Kafka answers them
 * for a non-list key. Checks as Kafka's: a resource listed twice, a key listed twice, a null value
 * for anything but DELETE, or an unknown operation INVALID_REQUEST; topic errors see
 * {@link TopicConfigs}; broker resources refuse SET/APPEND/SUBTRACT ({@link BrokerConfigs#refuseChanges})
 * and accept DELETE as the no-op it is. {@code validateOnly} changes nothing.
 */
final class IncrementalAlterConfigsHandler implements ApiHandler {
    private final TopicConfigs topics;
    private final BrokerConfigs broker;
    private final Executor admin;

    IncrementalAlterConfigsHandler(TopicConfigs topics, BrokerConfigs broker, Executor admin) {
        this.topics = topics;
        this.broker = broker;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        IncrementalAlterConfigsRequestData request = (IncrementalAlterConfigsRequestData) context.request().body();
        AdminWork.run(context, admin, () -> alterAll(request));
    }

    private IncrementalAlterConfigsResponseData alterAll(IncrementalAlterConfigsRequestData request) {
        Predicate<AlterConfigsResource> listedTwice = ConfigDuplicates.listedTwice(request.resources(),
                AlterConfigsResource::resourceType, AlterConfigsResource::resourceName);
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
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
        int repeated = ConfigDuplicates.firstRepeatedKey(resource.configs(), AlterableConfig::name);
        int position = 0;
        List<String> nulls = new ArrayList<>();
        for (AlterableConfig config : resource.configs()) {
            if (position++ == repeated) {
                return ConfigDuplicates.KEY_LISTED_TWICE;
            }
            if (config.configOperation() != AlterConfigOp.OpType.DELETE.id() && config.value() == null) {
                nulls.add(config.name());
            }
            if (AlterConfigOp.OpType.forId(config.configOperation()) == null) {
                return new ConfigError(Errors.INVALID_REQUEST, "Unknown operations type " + config.configOperation());
            }
        }
        if (!nulls.isEmpty()) {
            return new ConfigError(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", nulls));
        }
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type == ConfigResource.Type.TOPIC) {
            return alterTopic(resource, validateOnly);
        }
        if (type == ConfigResource.Type.BROKER) {
            ConfigError invalid = broker.checkName(resource.resourceName());
            if (invalid.isError()) {
                return invalid;
            }
            List<String> changed = new ArrayList<>();
            for (AlterableConfig config : resource.configs()) {
                if (config.configOperation() != AlterConfigOp.OpType.DELETE.id()) {
                    changed.add(config.name());
                }
            }
            return broker.refuseChanges(changed);
        }
        return new ConfigError(Errors.INVALID_REQUEST, "Unsupported resource type: " + type);
    }

    private ConfigError alterTopic(AlterConfigsResource resource, boolean validateOnly) {
        String name = resource.resourceName();
        ConfigError unalterable = topics.checkAlterable(name);
        if (unalterable.isError()) {
            return unalterable;
        }
        Map<String, String> overrides = new TreeMap<>(topics.topic(name).orElseThrow().configOverrides());
        for (AlterableConfig config : resource.configs()) {
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            if (!TopicConfigs.isKnown(config.name())) {
                return new ConfigError(Errors.INVALID_CONFIG, "Unknown topic config name: " + config.name());
            }
            switch (op) {
                case SET -> overrides.put(config.name(), config.value());
                case DELETE -> overrides.remove(config.name());
                case APPEND -> {
                    return new ConfigError(Errors.INVALID_CONFIG,
                            "Config value append is not allowed for config key: " + config.name());
                }
                case SUBTRACT -> {
                    return new ConfigError(Errors.INVALID_CONFIG,
                            "Config value subtract is not allowed for config key: " + config.name());
                }
            }
        }
        return topics.replace(name, overrides, validateOnly);
    }
}
