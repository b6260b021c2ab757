package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tributary.kafka.security.ResourceRule.namedTwice;
import static io.tributary.kafka.security.ResourceRule.takeOut;

/**
 * Topic creation and config administration, authorized resource by resource as Kafka's {@code ControllerApis} and
 * {@code ConfigHelper} do:
 * <ul>
 *   <li>CreateTopics: CREATE on the cluster, else on each topic (a name given twice is left to the handler, which
 *       answers it INVALID_REQUEST as Kafka does before authorizing); a created topic the principal may not
 *       DESCRIBE_CONFIGS comes back without configs, partition count and replication factor, its
 *       {@code topic_config_error_code} TOPIC_AUTHORIZATION_FAILED.</li>
 *   <li>DescribeConfigs, AlterConfigs, IncrementalAlterConfigs: DESCRIBE_CONFIGS / ALTER_CONFIGS on the topic,
 *       the group, or (broker, broker logger, client metrics) the cluster; a refused resource is answered
 *       TOPIC_, GROUP_ or CLUSTER_AUTHORIZATION_FAILED. Unknown resource types go to the handler.</li>
 * </ul>
 * DeleteTopics, which depends on a broker setting, is a {@link DeleteTopicsRule}.
 */
final class AdminResourceRules {
    private static final byte CONFIG_TOPIC = 2;
    private static final byte CONFIG_BROKER = 4;
    private static final byte CONFIG_BROKER_LOGGER = 8;
    private static final byte CONFIG_CLIENT_METRICS = 16;
    private static final byte CONFIG_GROUP = 32;

    private AdminResourceRules() {
    }

    static void register(Map<ApiKeys, ResourceRule> rules) {
        rules.put(ApiKeys.CREATE_TOPICS, AdminResourceRules::createTopics);
        rules.put(ApiKeys.DESCRIBE_CONFIGS, AdminResourceRules::describeConfigs);
        rules.put(ApiKeys.ALTER_CONFIGS, AdminResourceRules::alterConfigs);
        rules.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, AdminResourceRules::incrementalAlterConfigs);
    }

    private static Refusals createTopics(Access a, ApiMessage message) {
        CreateTopicsRequestData request = (CreateTopicsRequestData) message;
        boolean cluster = a.mayOnCluster(Operation.CREATE);
        Set<Object> twice = namedTwice(request.topics(), CreateTopicsRequestData.CreatableTopic::name);
        List<CreateTopicsRequestData.CreatableTopic> out = cluster ? List.of() : takeOut(request.topics(),
                t -> t.name() != null && !twice.contains(t.name()) && !a.may(Operation.CREATE, ResourceType.TOPIC, t.name()));
        return Refusals.of(!out.isEmpty() && request.topics().isEmpty(), CreateTopicsResponseData::new, m -> {
            CreateTopicsResponseData response = (CreateTopicsResponseData) m;
            for (CreatableTopicResult topic : response.topics()) {
                if (topic.errorCode() == Errors.NONE.code()
                        && !a.may(Operation.DESCRIBE_CONFIGS, ResourceType.TOPIC, topic.name())) {
                    topic.configs().clear();
                    topic.setNumPartitions(-1).setReplicationFactor((short) -1)
                            .setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                }
            }
            out.forEach(t -> response.topics().add(new CreatableTopicResult().setName(t.name())
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage("Authorization failed.")));
        });
    }

    private static Refusals describeConfigs(Access a, ApiMessage message) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) message;
        List<DescribeConfigsRequestData.DescribeConfigsResource> out = takeOut(request.resources(), r ->
                configError(a, Operation.DESCRIBE_CONFIGS, r.resourceType(), r.resourceName()) != Errors.NONE);
        return Refusals.each(out, request.resources().isEmpty(), DescribeConfigsResponseData::new, (response, r) -> {
            Errors error = configError(a, Operation.DESCRIBE_CONFIGS, r.resourceType(), r.resourceName());
            response.results().add(new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setErrorCode(error.code()).setErrorMessage(error.message())
                    .setResourceType(r.resourceType()).setResourceName(r.resourceName()));
        });
    }

    private static Refusals alterConfigs(Access a, ApiMessage message) {
        AlterConfigsRequestData request = (AlterConfigsRequestData) message;
        List<AlterConfigsRequestData.AlterConfigsResource> out = takeOut(request.resources(), r ->
                configError(a, Operation.ALTER_CONFIGS, r.resourceType(), r.resourceName()) != Errors.NONE);
        return Refusals.each(out, request.resources().isEmpty(), AlterConfigsResponseData::new, (response, r) -> {
            Errors error = configError(a, Operation.ALTER_CONFIGS, r.resourceType(), r.resourceName());
            response.responses().add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setErrorCode(error.code()).setErrorMessage(error.message())
                    .setResourceType(r.resourceType()).setResourceName(r.resourceName()));
        });
    }

    private static Refusals incrementalAlterConfigs(Access a, ApiMessage message) {
        IncrementalAlterConfigsRequestData request = (IncrementalAlterConfigsRequestData) message;
        List<IncrementalAlterConfigsRequestData.AlterConfigsResource> out = takeOut(request.resources(), r ->
                configError(a, Operation.ALTER_CONFIGS, r.resourceType(), r.resourceName()) != Errors.NONE);
        return Refusals.each(out, request.resources().isEmpty(), IncrementalAlterConfigsResponseData::new,
                (response, r) -> {
                    Errors error = configError(a, Operation.ALTER_CONFIGS, r.resourceType(), r.resourceName());
                    response.responses().add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setErrorCode(error.code()).setErrorMessage(error.message())
                            .setResourceType(r.resourceType()).setResourceName(r.resourceName()));
                });
    }

    /** NONE, or the error of a config resource the principal may not {@code operation}. */
    private static Errors configError(Access a, Operation operation, byte type, String name) {
        return switch (type) {
            case CONFIG_TOPIC -> a.may(operation, ResourceType.TOPIC, name) ? Errors.NONE
                    : Errors.TOPIC_AUTHORIZATION_FAILED;
            case CONFIG_GROUP -> a.may(operation, ResourceType.GROUP, name) ? Errors.NONE
                    : Errors.GROUP_AUTHORIZATION_FAILED;
            case CONFIG_BROKER, CONFIG_BROKER_LOGGER, CONFIG_CLIENT_METRICS -> a.mayOnCluster(operation) ? Errors.NONE
                    : Errors.CLUSTER_AUTHORIZATION_FAILED;
            default -> Errors.NONE;
        };
    }
}
