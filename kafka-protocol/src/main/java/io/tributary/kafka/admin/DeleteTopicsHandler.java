package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.log.Topic;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * DeleteTopics (v1-6), on the admin executor. Topics are named (v1-5 {@code topicNames}, v6
 * {@code topics[].name}) or, from v6, given by id; as Kafka's controller answers: a name or id listed
 * twice, both or neither set, INVALID_REQUEST; an unknown name UNKNOWN_TOPIC_OR_PARTITION, an
 * unknown id UNKNOWN_TOPIC_ID; {@code delete.topic.enable=false} TOPIC_DELETION_DISABLED (v3+,
 * INVALID_REQUEST before) for every topic of the request, whatever else is wrong with it. Deletion is
 * complete when the answer goes out (no timeout waiting); each deleted topic's name then goes to the
 * deletion listener (the group coordinator drops the topic's committed offsets, as Kafka's does, without
 * holding up the answer).
 *
 * <p>Deviation: Kafka's KRaft controller deletes internal topics when asked (only the
 * {@code kafka-topics} tool refuses on the client side). Here {@code __consumer_offsets} holds the
 * live group coordinator's state, so internal topics are refused with INVALID_TOPIC_EXCEPTION, the
 * code Kafka uses for writes and DeleteRecords on internal topics.
 */
final class DeleteTopicsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteTopicsHandler.class);

    private final LogManager log;
    private final IngestPipeline ingest;
    private final BrokerSettings settings;
    private final Executor admin;
    private final Consumer<String> deleted;

    DeleteTopicsHandler(LogManager log, IngestPipeline ingest, BrokerSettings settings, Executor admin,
                        Consumer<String> deleted) {
        this.log = log;
        this.ingest = ingest;
        this.settings = settings;
        this.admin = admin;
        this.deleted = deleted;
    }

    @Override
    public void handle(RequestContext context) {
        DeleteTopicsRequestData request = (DeleteTopicsRequestData) context.request().body();
        short version = context.request().apiVersion();
        AdminWork.run(context, admin, () -> deleteAll(request, version));
    }

    DeleteTopicsResponseData deleteAll(DeleteTopicsRequestData request, short version) {
        if (!settings.topicDeletionEnabled()) {
            return response(disabled(request, version), version);
        }
        List<DeletableTopicResult> results = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> duplicateNames = new LinkedHashSet<>();
        Set<Uuid> ids = new LinkedHashSet<>();
        Set<Uuid> duplicateIds = new LinkedHashSet<>();
        for (String name : request.topicNames()) {
            addOnce(name, names, duplicateNames);
        }
        for (DeleteTopicState topic : request.topics()) {
            boolean hasId = !Uuid.ZERO_UUID.equals(topic.topicId());
            if (topic.name() != null && hasId) {
                results.add(result(topic.name(), topic.topicId(), Errors.INVALID_REQUEST,
                        "You may not specify both topic name and topic id."));
            } else if (topic.name() != null) {
                addOnce(topic.name(), names, duplicateNames);
            } else if (hasId) {
                addOnce(topic.topicId(), ids, duplicateIds);
            } else {
                results.add(result(null, Uuid.ZERO_UUID, Errors.INVALID_REQUEST,
                        "Neither topic name nor id were specified."));
            }
        }
        duplicateNames.forEach(n -> results.add(result(n, Uuid.ZERO_UUID, Errors.INVALID_REQUEST, "Duplicate topic name.")));
        duplicateIds.forEach(id -> results.add(result(null, id, Errors.INVALID_REQUEST, "Duplicate topic id.")));
        Set<Uuid> deletedIds = new HashSet<>();
        for (String name : names) {
            Optional<Topic> topic = log.topic(name);
            if (topic.isEmpty()) {
                results.add(result(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        "This server does not host this topic-partition."));
            } else {
                deletedIds.add(Topics.kafkaId(topic.get()));
                results.add(delete(topic.get()));
            }
        }
        for (Uuid id : ids) {
            Optional<Topic> topic = Topics.byId(log, id);
            if (topic.isEmpty() && !deletedIds.contains(id)) {
                results.add(result(null, id, Errors.UNKNOWN_TOPIC_ID, "This server does not host this topic ID."));
            } else if (topic.isEmpty()) {
                results.add(result(null, id, Errors.INVALID_REQUEST,
                        "The provided topic name maps to an ID that was already supplied."));
            } else {
                results.add(delete(topic.get()));
            }
        }
        return response(results, version);
    }

    /**
     * Every topic of the request answered TOPIC_DELETION_DISABLED (INVALID_REQUEST before v3), without a message,
     * as Kafka's controller fails the whole request before it looks at any topic or ACL: duplicates and entries
     * with both or neither of name and id included, each as the request gave it.
     */
    private static List<DeletableTopicResult> disabled(DeleteTopicsRequestData request, short version) {
        Errors error = version >= 3 ? Errors.TOPIC_DELETION_DISABLED : Errors.INVALID_REQUEST;
        List<DeletableTopicResult> results = new ArrayList<>();
        request.topicNames().forEach(n -> results.add(result(n, Uuid.ZERO_UUID, error, null)));
        request.topics().forEach(t -> results.add(result(t.name(), t.topicId(), error, null)));
        return results;
    }

    private static DeleteTopicsResponseData response(List<DeletableTopicResult> results, short version) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        for (DeletableTopicResult result : results) {
            if (version < 5) {
                result.setErrorMessage(null);
            }
            if (version < 6) {
                result.setTopicId(Uuid.ZERO_UUID);
                if (result.name() == null) {
                    continue; // ids exist only from v6
                }
            }
            response.responses().add(result);
        }
        return response;
    }

    private DeletableTopicResult delete(Topic topic) {
        Uuid id = Topics.kafkaId(topic);
        if (Topics.isInternal(topic.name())) {
            return result(topic.name(), id, Errors.INVALID_TOPIC_EXCEPTION,
                    "Cannot delete internal topic " + topic.name());
        }
        try {
            if (!log.deleteTopic(topic.name())) {
                return result(topic.name(), id, Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic was deleted concurrently.");
            }
            for (int p = 0; p < topic.partitionCount(); p++) {
                ingest.partitionDeleted(topic.partition(p));
            }
            LOG.info("Deleted topic {} ({}) at a client's request", topic.name(), id);
            deleted.accept(topic.name());
            return result(topic.name(), id, Errors.NONE, null);
        } catch (UncheckedIOException e) {
            LOG.error("Cannot delete topic {}", topic.name(), e);
            return result(topic.name(), id, Errors.KAFKA_STORAGE_ERROR, e.getMessage());
        }
    }

    private static <T> void addOnce(T key, Set<T> seen, Set<T> duplicates) {
        if (duplicates.contains(key) || !seen.add(key)) {
            duplicates.add(key);
            seen.remove(key);
        }
    }

    private static DeletableTopicResult result(String name, Uuid id, Errors error, String message) {
        return new DeletableTopicResult().setName(name).setTopicId(id).setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
