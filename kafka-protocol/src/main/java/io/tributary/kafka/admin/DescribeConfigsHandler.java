package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.Topic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DescribeConfigs (v1-4), on the event loop (it reads only memory). TOPIC resources: every topic
 * config ({@link TopicConfigs}); an illegal name INVALID_TOPIC_EXCEPTION, an unknown topic
 * UNKNOWN_TOPIC_OR_PARTITION. BROKER resources: this node's settings ({@link BrokerConfigs}).
 * Synonyms only with {@code includeSynonyms}; documentation and config types only from v3, the
 * former only with {@code includeDocumentation}. Other resource types (broker loggers, groups,
 * client metrics) are INVALID_REQUEST: Tributary has no configs for them.
 */
final class DescribeConfigsHandler implements ApiHandler {
    private final TopicConfigs topics;
    private final BrokerConfigs broker;

    DescribeConfigsHandler(TopicConfigs topics, BrokerConfigs broker) {
        this.topics = topics;
        this.broker = broker;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) context.request().body();
        short version = context.request().apiVersion();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = describe(resource, request.includeSynonyms(),
                    version >= 3 && request.includeDocumentation());
            if (version < 3) {
                result.configs().forEach(c -> c.setConfigType((byte) 0).setDocumentation(null));
            }
            response.results().add(result.setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName()));
        }
        context.respond(response);
    }

    private DescribeConfigsResult describe(DescribeConfigsResource resource, boolean synonyms, boolean documentation) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        String name = resource.resourceName();
        if (type == ConfigResource.Type.TOPIC) {
            ConfigError invalid = TopicConfigs.checkName(name);
            if (invalid.isError()) {
                return error(invalid);
            }
            Optional<Topic> topic = topics.topic(name);
            if (topic.isEmpty()) {
                // Kafka gives no message here, leaving the field at its default: an empty string, not null.
                return error(new ConfigError(Errors.UNKNOWN_TOPIC_OR_PARTITION, ""));
            }
            return ok(topics.describe(topic.get(), resource.configurationKeys(), synonyms, documentation));
        }
        if (type == ConfigResource.Type.BROKER) {
            ConfigError invalid = broker.checkName(name);
            if (invalid.isError()) {
                return error(invalid);
            }
            return ok(broker.describe(name, resource.configurationKeys(), synonyms));
        }
        return error(new ConfigError(Errors.INVALID_REQUEST, "Unsupported resource type: " + type));
    }

    private static DescribeConfigsResult ok(List<DescribeConfigsResourceResult> configs) {
        return new DescribeConfigsResult().setErrorCode(Errors.NONE.code()).setConfigs(configs);
    }

    private static DescribeConfigsResult error(ConfigError error) {
        return new DescribeConfigsResult().setErrorCode(error.error().code()).setErrorMessage(error.message())
                .setConfigs(new ArrayList<>());
    }
}
