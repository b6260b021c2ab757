package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import io.tributary.log.TopicExistsException;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Metadata: this node is the only broker, the controller, and the leader of every partition
 * (replicas and ISR = [this node], leader epoch 0). A partition that is offline after a storage failure
 * ({@link io.tributary.log.PartitionLog#offlineReason()}) has no leader: LEADER_NOT_AVAILABLE, leader -1,
 * this node in its offline replicas, as Kafka shows a partition whose only replica's log dir failed.
 *
 * <p>Topics requested by name that do not exist are created with {@code num.partitions} when
 * {@code auto.create.topics.enable} is on and the request allows it (always before v4). Creation
 * runs on the admin executor (it writes files) and completes before the answer, so unlike Kafka,
 * which answers LEADER_NOT_AVAILABLE for a topic it has only just created, the topic is reported
 * ready at once. Kafka's internal topics (e.g. {@code __consumer_offsets}, kept in the same log by the
 * group coordinator) are flagged internal and never auto-created here, nor a topic that would take the broker
 * past {@code max.partitions} ({@link PartitionLimit}; one warning, the topic stays unknown). Names Kafka would refuse
 * answer INVALID_TOPIC_EXCEPTION; unknown names
 * UNKNOWN_TOPIC_OR_PARTITION; unknown ids (v10+) UNKNOWN_TOPIC_ID. A topic named by id is looked up by id
 * whatever its name field holds.
 */
public final class MetadataHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataHandler.class);
    private static final int NO_LEADER = -1;

    private final LogManager log;
    private final BrokerSettings settings;
    private final BrokerEndpoint endpoint;
    private final Executor admin;

    public MetadataHandler(LogManager log, BrokerSettings settings, BrokerEndpoint endpoint, Executor admin) {
        this.log = log;
        this.settings = settings;
        this.endpoint = endpoint;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        MetadataRequestData request = (MetadataRequestData) context.request().body();
        short version = context.request().apiVersion();
        if (request.topics() == null || (version == 0 && request.topics().isEmpty())) {
            context.respond(respond(allTopics(), request));
            return;
        }
        List<String> toCreate = topicsToCreate(request, version);
        if (toCreate.isEmpty()) {
            context.respond(respond(requestedTopics(request), request));
            return;
        }
        try {
            admin.execute(() -> {
                create(toCreate);
                context.execute(() -> context.respond(respond(requestedTopics(request), request)));
            });
        } catch (RejectedExecutionException e) {
            context.closeConnection("broker shutting down, cannot auto-create topics " + toCreate);
        }
    }

    private List<String> topicsToCreate(MetadataRequestData request, short version) {
        boolean allowed = settings.autoCreateTopics() && (version < 4 || request.allowAutoTopicCreation());
        List<String> names = new ArrayList<>();
        if (!allowed) {
            return names;
        }
        for (MetadataRequestTopic topic : request.topics()) {
            String name = topic.name();
            if (name != null && org.apache.kafka.common.internals.Topic.isValid(name)
                    && !Topics.isInternal(name)
                    && log.topic(name).isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private void create(List<String> names) {
        for (String name : names) {
            String beyondLimit = PartitionLimit.refusal(log, settings, settings.numPartitions());
            if (beyondLimit != null) {
                LOG.warn("Not auto-creating topic {}: {}", name, beyondLimit);
                continue;
            }
            try {
                log.createTopic(name, settings.numPartitions(), Map.of());
                LOG.info("Auto-created topic {} with {} partitions", name, settings.numPartitions());
            } catch (TopicExistsException e) {
                LOG.debug("Topic {} was created concurrently", name);
            } catch (RuntimeException e) {
                LOG.warn("Cannot auto-create topic {}: {}", name, e.toString());
            }
        }
    }

    private List<MetadataResponseTopic> allTopics() {
        List<MetadataResponseTopic> topics = new ArrayList<>();
        for (Topic topic : log.topics()) {
            topics.add(describe(topic));
        }
        return topics;
    }

    private List<MetadataResponseTopic> requestedTopics(MetadataRequestData request) {
        List<MetadataResponseTopic> topics = new ArrayList<>();
        for (MetadataRequestTopic wanted : request.topics()) {
            topics.add(requestedTopic(wanted));
        }
        return topics;
    }

    private MetadataResponseTopic requestedTopic(MetadataRequestTopic wanted) {
        String name = wanted.name();
        // As Kafka: a topic id, when given, wins over the name, which the Admin leaves empty rather than null
        // (describeTopics by id, kafka-topics --describe --topic-id).
        if (name == null || (wanted.topicId() != null && !Uuid.ZERO_UUID.equals(wanted.topicId()))) {
            Optional<Topic> byId = Topics.byId(log, wanted.topicId());
            return byId.map(this::describe).orElseGet(() -> new MetadataResponseTopic()
                    .setTopicId(wanted.topicId()).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
        }
        if (!org.apache.kafka.common.internals.Topic.isValid(name)) {
            return new MetadataResponseTopic().setName(name).setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        return log.topic(name).map(this::describe).orElseGet(() -> new MetadataResponseTopic()
                .setName(name).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
    }

    private MetadataResponseTopic describe(Topic topic) {
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitionCount());
        List<Integer> replicas = List.of(endpoint.nodeId());
        for (int p = 0; p < topic.partitionCount(); p++) {
            MetadataResponsePartition partition = new MetadataResponsePartition()
                    .setPartitionIndex(p)
                    .setLeaderId(endpoint.nodeId())
                    .setLeaderEpoch(0)
                    .setReplicaNodes(replicas)
                    .setIsrNodes(replicas)
                    .setOfflineReplicas(List.of());
            if (topic.partition(p).offlineReason().isPresent()) {
                // As Kafka shows a partition whose only replica's log dir failed: no leader, the replica offline.
                partition.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()).setLeaderId(NO_LEADER)
                        .setOfflineReplicas(replicas);
            }
            partitions.add(partition);
        }
        return new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(Topics.kafkaId(topic))
                .setIsInternal(Topics.isInternal(topic.name()))
                .setPartitions(partitions);
    }

    /**
     * The response; authorized operations, when asked for, as Kafka answers them with no authorizer (every
     * operation; the authorization gate replaces them with the principal's when there is one).
     */
    private MetadataResponseData respond(List<MetadataResponseTopic> topics, MetadataRequestData request) {
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(settings.clusterId())
                .setControllerId(endpoint.nodeId());
        if (request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(OperationBits.ALL_CLUSTER);
        }
        response.brokers().add(new MetadataResponseBroker()
                .setNodeId(endpoint.nodeId()).setHost(endpoint.host()).setPort(endpoint.port()));
        for (MetadataResponseTopic topic : topics) {
            if (topic.topicId() == null) {
                topic.setTopicId(Uuid.ZERO_UUID);
            }
            if (request.includeTopicAuthorizedOperations() && topic.errorCode() == Errors.NONE.code()) {
                topic.setTopicAuthorizedOperations(OperationBits.ALL_TOPIC);
            }
            response.topics().add(topic);
        }
        return response;
    }
}
