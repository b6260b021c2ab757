package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;

import static io.tributary.kafka.security.ResourceRule.takeOut;

/**
 * Metadata as Kafka's {@code KafkaApis} authorizes it: a listing of all topics shows only those the principal may
 * DESCRIBE; a topic named (or given by id) and not describable is answered TOPIC_AUTHORIZATION_FAILED without
 * its id (by id: without its name); a describable topic that does not exist and would be auto-created is
 * answered TOPIC_AUTHORIZATION_FAILED unless the principal may CREATE on the cluster or the topic. KIP-430:
 * {@code include_topic_authorized_operations} fills each described topic's operations,
 * {@code include_cluster_authorized_operations} (versions 8–10) the cluster's, or 0 without DESCRIBE on the
 * cluster. DescribeCluster's cluster operations are filled the same way.
 */
final class MetadataRule implements ResourceRule {
    private final boolean autoCreateTopics;

    MetadataRule(boolean autoCreateTopics) {
        this.autoCreateTopics = autoCreateTopics;
    }

    @Override
    public Refusals split(Access a, ApiMessage message) {
        MetadataRequestData request = (MetadataRequestData) message;
        List<MetadataRequestTopic> out = List.of();
        if (request.topics() != null && !request.topics().isEmpty()) {
            boolean mayCreate = autoCreateTopics && request.allowAutoTopicCreation() && !a.mayOnCluster(Operation.CREATE);
            out = takeOut(request.topics(), t -> {
                String name = a.topicName(t.name(), t.topicId());
                if (name == null) {
                    return false;
                }
                if (!a.may(Operation.DESCRIBE, ResourceType.TOPIC, name)) {
                    return true;
                }
                return mayCreate && t.name() != null && !a.topicExists(name)
                        && !a.may(Operation.CREATE, ResourceType.TOPIC, name);
            });
        }
        List<MetadataRequestTopic> refused = out;
        boolean topicOperations = request.includeTopicAuthorizedOperations();
        boolean clusterOperations = request.includeClusterAuthorizedOperations();
        return Refusals.of(false, MetadataResponseData::new, m -> {
            MetadataResponseData response = (MetadataResponseData) m;
            response.topics().removeIf(t -> t.name() != null && !a.may(Operation.DESCRIBE, ResourceType.TOPIC, t.name()));
            if (topicOperations) {
                response.topics().forEach(t -> {
                    if (t.name() != null) {
                        t.setTopicAuthorizedOperations(AuthorizedOperations.of(a, ResourceType.TOPIC, t.name()));
                    }
                });
            }
            if (clusterOperations) {
                response.setClusterAuthorizedOperations(clusterOperations(a));
            }
            for (MetadataRequestTopic t : refused) {
                // by id: the Admin sends an empty name beside the id
                boolean byId = (t.name() == null || t.name().isEmpty()) && !Uuid.ZERO_UUID.equals(t.topicId());
                response.topics().add(new MetadataResponseTopic().setName(byId ? null : t.name())
                        .setTopicId(byId ? t.topicId() : Uuid.ZERO_UUID)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
        });
    }

    /** DescribeCluster: only the cluster's authorized operations, when asked for. */
    static Refusals describeCluster(Access a, ApiMessage message) {
        if (!((DescribeClusterRequestData) message).includeClusterAuthorizedOperations()) {
            return null;
        }
        return Refusals.of(false, DescribeClusterResponseData::new, m -> ((DescribeClusterResponseData) m)
                .setClusterAuthorizedOperations(clusterOperations(a)));
    }

    private static int clusterOperations(Access a) {
        return a.mayOnCluster(Operation.DESCRIBE)
                ? AuthorizedOperations.of(a, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME) : 0;
    }
}
