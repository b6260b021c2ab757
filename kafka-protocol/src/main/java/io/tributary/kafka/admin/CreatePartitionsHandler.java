package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.PartitionLimit;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import io.tributary.log.UnknownTopicException;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * CreatePartitions (v0-3), on the admin executor. As Kafka's controller answers: a topic listed
 * twice INVALID_REQUEST; an unknown one UNKNOWN_TOPIC_OR_PARTITION; a count not above the current
 * one INVALID_PARTITIONS; assignments, when given, one per new partition, each naming exactly this
 * node, else INVALID_REPLICA_ASSIGNMENT. {@code validateOnly} checks and adds nothing.
 *
 * <p>As Kafka 4.4's controller, a request whose existing topics would together gain more than
 * {@link Topics#MAX_PARTITIONS_PER_REQUEST} partitions is refused whole, validateOnly included:
 * every topic POLICY_VIOLATION, nothing added. A growth the log cannot complete (say, the process
 * runs out of file descriptors) answers KAFKA_STORAGE_ERROR with the cause, the log having undone
 * what it half-made, and one line is logged (decision 0040). A growth that would take the broker past
 * {@code max.partitions} ({@link PartitionLimit}) is refused POLICY_VIOLATION, validateOnly included.
 *
 * <p>Deviation: internal topics are refused (INVALID_TOPIC_EXCEPTION): the group coordinator maps
 * groups to {@code __consumer_offsets} partitions by the count it started with.
 */
final class CreatePartitionsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CreatePartitionsHandler.class);
    private static final String TOO_MANY = "Excessively large number of additional partitions per request.";

    private final LogManager log;
    private final BrokerSettings settings;
    private final Executor admin;

    CreatePartitionsHandler(LogManager log, BrokerSettings settings, Executor admin) {
        this.log = log;
        this.settings = settings;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        CreatePartitionsRequestData request = (CreatePartitionsRequestData) context.request().body();
        AdminWork.run(context, admin, () -> createAll(request));
    }

    private CreatePartitionsResponseData createAll(CreatePartitionsRequestData request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatePartitionsTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        boolean tooMany = additionalPartitions(request, duplicates) > Topics.MAX_PARTITIONS_PER_REQUEST;
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        Set<String> answered = new HashSet<>();
        for (CreatePartitionsTopic topic : request.topics()) {
            if (duplicates.contains(topic.name())) {
                if (answered.add(topic.name())) {
                    response.results().add(result(topic.name(), Errors.INVALID_REQUEST, "Duplicate topic name."));
                }
                continue;
            }
            response.results().add(tooMany ? result(topic.name(), Errors.POLICY_VIOLATION, TOO_MANY)
                    : create(topic, request.validateOnly()));
        }
        return response;
    }

    private CreatePartitionsTopicResult create(CreatePartitionsTopic request, boolean validateOnly) {
        String name = request.name();
        Optional<Topic> found = log.topic(name);
        if (found.isEmpty()) {
            return result(name, Errors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
        }
        int current = found.get().partitionCount();
        if (request.count() == current) {
            return result(name, Errors.INVALID_PARTITIONS, "Topic already has " + current + " partition(s).");
        }
        if (request.count() < current) {
            return result(name, Errors.INVALID_PARTITIONS, "The topic " + name + " currently has " + current
                    + " partition(s); " + request.count() + " would not be an increase.");
        }
        if (Topics.isInternal(name)) {
            return result(name, Errors.INVALID_TOPIC_EXCEPTION, "Cannot add partitions to internal topic " + name);
        }
        String assignmentError = checkAssignments(request.assignments(), request.count() - current);
        if (assignmentError != null) {
            return result(name, Errors.INVALID_REPLICA_ASSIGNMENT, assignmentError);
        }
        String beyondLimit = PartitionLimit.refusal(log, settings, request.count() - current);
        if (beyondLimit != null) {
            return result(name, Errors.POLICY_VIOLATION, beyondLimit);
        }
        if (validateOnly) {
            return result(name, Errors.NONE, null);
        }
        try {
            log.createPartitions(name, request.count());
            LOG.info("Topic {} grew from {} to {} partitions at a client's request", name, current, request.count());
            return result(name, Errors.NONE, null);
        } catch (UnknownTopicException e) {
            return result(name, Errors.UNKNOWN_TOPIC_OR_PARTITION, e.getMessage());
        } catch (IllegalArgumentException e) {
            return result(name, Errors.INVALID_PARTITIONS, e.getMessage());
        } catch (UncheckedIOException e) {
            // The log names the counts and the cause and has undone the half-made growth: one line, no trace.
            LOG.error("CreatePartitions: {}", e.getMessage());
            return result(name, Errors.KAFKA_STORAGE_ERROR, e.getMessage());
        }
    }

    /**
     * The partitions the request would add to the topics that exist (a topic unknown or not growing
     * adds none, and answers its own error), as Kafka's controller counts them. A long, so that
     * many large counts cannot wrap around.
     */
    private long additionalPartitions(CreatePartitionsRequestData request, Set<String> duplicates) {
        long total = 0;
        for (CreatePartitionsTopic topic : request.topics()) {
            if (!duplicates.contains(topic.name())) {
                int current = log.topic(topic.name()).map(Topic::partitionCount).orElse(topic.count());
                total += Math.max(0, topic.count() - current);
            }
        }
        return total;
    }

    /** Why the manual assignment is refused, or null if there is none or it is fine. */
    private String checkAssignments(List<CreatePartitionsAssignment> assignments, int additional) {
        if (assignments == null) {
            return null;
        }
        if (assignments.size() != additional) {
            return "Attempted to add " + additional + " additional partition(s), but only " + assignments.size()
                    + " assignment(s) were specified.";
        }
        for (int i = 0; i < assignments.size(); i++) {
            List<Integer> brokers = assignments.get(i).brokerIds();
            if (brokers.size() != 1) {
                return "The manual partition assignment includes a partition with " + brokers.size()
                        + " replica(s), but this is not consistent with previous partitions, which have 1 replica(s).";
            }
            if (brokers.get(0) != settings.nodeId()) {
                return "The manual partition assignment includes broker " + brokers.get(0)
                        + ", but no such broker is registered.";
            }
        }
        return null;
    }

    private static CreatePartitionsTopicResult result(String name, Errors error, String message) {
        return new CreatePartitionsTopicResult().setName(name).setErrorCode(error.code()).setErrorMessage(message);
    }
}
