package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.TopicExistsException;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * CreateTopics (v2+), run on the admin executor since creating a topic writes files.
 *
 * <p>Per topic: a name Kafka would refuse answers INVALID_TOPIC_EXCEPTION, a name listed twice
 * INVALID_REQUEST, an existing one TOPIC_ALREADY_EXISTS; {@code numPartitions} -1 means
 * {@code num.partitions}, other values below 1 INVALID_PARTITIONS; the replication factor must be
 * -1 or 1 (one node) else INVALID_REPLICATION_FACTOR; manual assignments are accepted only when
 * every partition lists just this node; configs are topic-level keys (an invalid one answers
 * INVALID_CONFIG with the reason). {@code validateOnly} checks everything and creates nothing.
 * From v5 the result carries the partition count, replication factor 1 and the effective configs;
 * from v7 the topic id.
 *
 * <p>As Kafka's controller, a request whose topics together ask for more than
 * {@link Topics#MAX_PARTITIONS_PER_REQUEST} partitions is refused whole: every topic answers
 * POLICY_VIOLATION and nothing is created. A topic the log cannot create (say, the process is out
 * of file descriptors) answers KAFKA_STORAGE_ERROR with the cause, the log having undone what it
 * half-made, and one line is logged. A topic that would take the broker past {@code max.partitions}
 * ({@link PartitionLimit}) answers POLICY_VIOLATION, validateOnly included; the topics before it in the request
 * count toward the limit.
 */
public final class CreateTopicsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CreateTopicsHandler.class);

    private final LogManager log;
    private final BrokerSettings settings;
    private final Executor admin;

    public CreateTopicsHandler(LogManager log, BrokerSettings settings, Executor admin) {
        this.log = log;
        this.settings = settings;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        CreateTopicsRequestData request = (CreateTopicsRequestData) context.request().body();
        short version = context.request().apiVersion();
        try {
            admin.execute(() -> context.respond(createAll(request, version)));
        } catch (RejectedExecutionException e) {
            context.closeConnection("broker shutting down, cannot create topics");
        }
    }

    private CreateTopicsResponseData createAll(CreateTopicsRequestData request, short version) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        boolean tooMany = requestedPartitions(request, duplicates) > Topics.MAX_PARTITIONS_PER_REQUEST;
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (CreatableTopic topic : request.topics()) {
            // Kafka answers a created topic with a null message, not the generated default "".
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name()).setErrorMessage(null);
            if (duplicates.contains(topic.name())) {
                error(result, Errors.INVALID_REQUEST, "Topic '" + topic.name() + "' is listed more than once");
            } else if (tooMany) {
                error(result, Errors.POLICY_VIOLATION, "Excessively large number of partitions per request.");
            } else {
                create(topic, request.validateOnly(), version, result);
            }
            response.topics().add(result);
        }
        return response;
    }

    private void create(CreatableTopic topic, boolean validateOnly, short version, CreatableTopicResult result) {
        String name = topic.name();
        if (!org.apache.kafka.common.internals.Topic.isValid(name)) {
            error(result, Errors.INVALID_TOPIC_EXCEPTION, "Topic name '" + name + "' is illegal: it must be 1 to 249 "
                    + "characters of " + org.apache.kafka.common.internals.Topic.LEGAL_CHARS + " and not '.' or '..'");
            return;
        }
        if (log.topic(name).isPresent()) {
            error(result, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
            return;
        }
        int partitions = partitions(topic, result);
        if (partitions < 0) {
            return;
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            if (config.value() == null) {
                error(result, Errors.INVALID_CONFIG, "Null value not supported for topic config " + config.name());
                return;
            }
            overrides.put(config.name(), config.value());
        }
        try {
            LogConfig effective = log.defaultConfig().withOverrides(overrides);
            String beyondLimit = PartitionLimit.refusal(log, settings, partitions);
            if (beyondLimit != null) {
                error(result, Errors.POLICY_VIOLATION, beyondLimit);
                return;
            }
            if (!validateOnly) {
                io.tributary.log.Topic created = log.createTopic(name, partitions, overrides);
                LOG.info("Created topic {} with {} partitions and overrides {}", name, partitions, overrides);
                if (version >= 7) {
                    result.setTopicId(Topics.kafkaId(created));
                }
            }
            if (version >= 5) {
                result.setNumPartitions(partitions).setReplicationFactor((short) 1)
                        .setConfigs(describe(effective, overrides, settings.explicitKeys()));
            }
        } catch (InvalidConfigException e) {
            error(result, Errors.INVALID_CONFIG, e.getMessage());
        } catch (TopicExistsException e) {
            error(result, Errors.TOPIC_ALREADY_EXISTS, e.getMessage());
        } catch (IllegalArgumentException e) {
            error(result, Errors.INVALID_REQUEST, e.getMessage());
        } catch (UncheckedIOException e) {
            // The log names the counts and the cause and has undone the half-made topic: one line, no trace.
            LOG.error("CreateTopics: {}", e.getMessage());
            error(result, Errors.KAFKA_STORAGE_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Cannot create topic {}", name, e);
            error(result, Errors.UNKNOWN_SERVER_ERROR, e.toString());
        }
    }

    /**
     * The partitions the request asks for, counted as Kafka's controller does before it checks
     * anything else (of the topics its broker passes on: duplicates are answered before): the
     * assignments if given, else the count, {@code num.partitions} for -1, and nothing for an invalid
     * count. A long, so that many large counts cannot wrap around.
     */
    private long requestedPartitions(CreateTopicsRequestData request, Set<String> duplicates) {
        long total = 0;
        for (CreatableTopic topic : request.topics()) {
            if (duplicates.contains(topic.name())) {
                continue;
            } else if (!topic.assignments().isEmpty()) {
                total += topic.assignments().size();
            } else if (topic.numPartitions() == -1) {
                total += settings.numPartitions();
            } else if (topic.numPartitions() > 0) {
                total += topic.numPartitions();
            }
        }
        return total;
    }

    /** The partition count to create, or -1 after recording the error in {@code result}. */
    private int partitions(CreatableTopic topic, CreatableTopicResult result) {
        if (!topic.assignments().isEmpty()) {
            return assignedPartitions(topic, result);
        }
        short replication = topic.replicationFactor();
        if (replication != -1 && replication != 1) {
            error(result, Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be 1 or -1 (the default): "
                    + "this cluster has one broker, got " + replication);
            return -1;
        }
        int partitions = topic.numPartitions() == -1 ? settings.numPartitions() : topic.numPartitions();
        if (partitions <= 0) {
            error(result, Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0, got "
                    + topic.numPartitions());
            return -1;
        }
        return partitions;
    }

    private int assignedPartitions(CreatableTopic topic, CreatableTopicResult result) {
        if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
            error(result, Errors.INVALID_REQUEST, "Both numPartitions or replicationFactor and replicasAssignments were set");
            return -1;
        }
        Map<Integer, List<Integer>> byPartition = new HashMap<>();
        for (CreatableReplicaAssignment assignment : topic.assignments()) {
            byPartition.put(assignment.partitionIndex(), assignment.brokerIds());
        }
        for (int p = 0; p < byPartition.size(); p++) {
            List<Integer> brokers = byPartition.get(p);
            if (brokers == null || !brokers.equals(List.of(settings.nodeId()))) {
                error(result, Errors.INVALID_REPLICA_ASSIGNMENT, "Partitions must be numbered from 0 and each assigned "
                        + "to exactly broker " + settings.nodeId() + ", got " + byPartition);
                return -1;
            }
        }
        return byPartition.size();
    }

    private static List<CreatableTopicConfigs> describe(LogConfig effective, Map<String, String> overrides,
                                                        java.util.Set<String> explicitBrokerKeys) {
        List<CreatableTopicConfigs> configs = new ArrayList<>();
        for (Map.Entry<String, String> e : effective.toMap().entrySet()) {
            ConfigSource source = TopicConfigSources.source(e.getKey(), overrides, explicitBrokerKeys);
            configs.add(new CreatableTopicConfigs().setName(e.getKey()).setValue(e.getValue())
                    .setReadOnly(false).setIsSensitive(false).setConfigSource(source.id()));
        }
        return configs;
    }

    private static void error(CreatableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}
