package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * AlterPartitionReassignments (v0-1), checked as Kafka's controller checks a manual assignment. With
 * one broker the only valid target is this node alone, which is where every partition already is, so
 * it succeeds and changes nothing; any other broker id is INVALID_REPLICA_ASSIGNMENT (not registered),
 * as are a repeated id and an empty list; cancelling (null replicas) is NO_REASSIGNMENT_IN_PROGRESS;
 * an unknown topic or partition UNKNOWN_TOPIC_OR_PARTITION. Since a valid target has one replica, the
 * replication factor never changes and v1's {@code allowReplicationFactorChange} has nothing to refuse.
 */
final class AlterPartitionReassignmentsHandler implements ApiHandler {
    private final LogManager log;
    private final int nodeId;

    AlterPartitionReassignmentsHandler(LogManager log, int nodeId) {
        this.log = log;
        this.nodeId = nodeId;
    }

    @Override
    public void handle(RequestContext context) {
        AlterPartitionReassignmentsRequestData request = (AlterPartitionReassignmentsRequestData) context.request().body();
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setAllowReplicationFactorChange(request.allowReplicationFactorChange())
                .setErrorCode(Errors.NONE.code());
        for (ReassignableTopic topic : request.topics()) {
            ReassignableTopicResponse result = new ReassignableTopicResponse().setName(topic.name());
            Optional<Topic> found = log.topic(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                result.partitions().add(reassign(topic.name(), found, partition));
            }
            response.responses().add(result);
        }
        context.respond(response);
    }

    private ReassignablePartitionResponse reassign(String name, Optional<Topic> topic, ReassignablePartition request) {
        ReassignablePartitionResponse result = new ReassignablePartitionResponse()
                .setPartitionIndex(request.partitionIndex());
        if (topic.isEmpty()) {
            return error(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find a topic named " + name + ".");
        }
        if (request.partitionIndex() < 0 || request.partitionIndex() >= topic.get().partitionCount()) {
            return error(result, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "Unable to find partition " + name + ":" + request.partitionIndex() + ".");
        }
        List<Integer> replicas = request.replicas();
        if (replicas == null) {
            return error(result, Errors.NO_REASSIGNMENT_IN_PROGRESS, "No partition reassignment is in progress.");
        }
        if (replicas.isEmpty()) {
            return error(result, Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        for (int replica : replicas) {
            if (!seen.add(replica)) {
                return error(result, Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes the broker " + replica + " more than once.");
            }
            if (replica != nodeId) {
                return error(result, Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker "
                        + replica + ", but no such broker is registered.");
            }
        }
        return result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
    }

    private static ReassignablePartitionResponse error(ReassignablePartitionResponse result, Errors error, String message) {
        return result.setErrorCode(error.code()).setErrorMessage(message);
    }
}
