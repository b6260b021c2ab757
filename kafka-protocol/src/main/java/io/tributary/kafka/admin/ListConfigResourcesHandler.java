package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ListConfigResourcesRequestData;
import org.apache.kafka.common.message.ListConfigResourcesResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * ListConfigResources (v0-1; v0 was ListClientMetricsResources, KIP-1000; v1 lists more types, KIP-1142), on the
 * event loop, as Kafka's {@code KafkaApis} answers it: the resources of the types asked for, every type this
 * version supports when none is asked for, and UNSUPPORTED_VERSION for a type it does not support. Groups are
 * those with configs of their own (only share-group configs exist here), the broker is this node, topics are all
 * topics, internal ones included. There are no client-metrics subscriptions (Tributary has no KIP-714 telemetry,
 * and refuses CLIENT_METRICS config resources), so that type is always empty; broker loggers have no configs here
 * (DescribeConfigs refuses BROKER_LOGGER), so unlike Kafka that type is not supported: asked for, it answers
 * UNSUPPORTED_VERSION, and it is left out of "every type". The authorization gate asks DESCRIBE_CONFIGS on the
 * cluster first, as Kafka does.
 */
final class ListConfigResourcesHandler implements ApiHandler {
    private static final Set<Byte> V0_TYPES = Set.of(ConfigResource.Type.CLIENT_METRICS.id());
    private static final Set<Byte> V1_TYPES = Set.of(ConfigResource.Type.GROUP.id(), ConfigResource.Type.CLIENT_METRICS.id(),
            ConfigResource.Type.BROKER.id(), ConfigResource.Type.TOPIC.id());

    private final LogManager log;
    private final int nodeId;
    private final Supplier<? extends Collection<String>> configuredGroups;

    /**
     * @param configuredGroups the ids of the groups with configs of their own; called on the event loop
     */
    ListConfigResourcesHandler(LogManager log, int nodeId, Supplier<? extends Collection<String>> configuredGroups) {
        this.log = log;
        this.nodeId = nodeId;
        this.configuredGroups = configuredGroups;
    }

    @Override
    public void handle(RequestContext context) {
        ListConfigResourcesRequestData request = (ListConfigResourcesRequestData) context.request().body();
        Set<Byte> supported = context.request().apiVersion() == 0 ? V0_TYPES : V1_TYPES;
        Collection<Byte> wanted = request.resourceTypes().isEmpty() ? supported : request.resourceTypes();
        ListConfigResourcesResponseData response = new ListConfigResourcesResponseData();
        if (!supported.containsAll(wanted)) {
            context.respond(response.setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
            return;
        }
        List<ListConfigResourcesResponseData.ConfigResource> resources = response.configResources();
        if (wanted.contains(ConfigResource.Type.GROUP.id())) {
            configuredGroups.get().stream().sorted()
                    .forEach(group -> resources.add(resource(group, ConfigResource.Type.GROUP)));
        }
        if (wanted.contains(ConfigResource.Type.BROKER.id())) {
            resources.add(resource(Integer.toString(nodeId), ConfigResource.Type.BROKER));
        }
        if (wanted.contains(ConfigResource.Type.TOPIC.id())) {
            for (Topic topic : log.topics()) {
                resources.add(resource(topic.name(), ConfigResource.Type.TOPIC));
            }
        }
        context.respond(response);
    }

    private static ListConfigResourcesResponseData.ConfigResource resource(String name, ConfigResource.Type type) {
        return new ListConfigResourcesResponseData.ConfigResource().setResourceName(name).setResourceType(type.id());
    }
}
