package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.Optional;

/**
 * ElectLeaders (v0-2). Every partition has one replica, this node, which leads it, so no election is
 * ever needed: as Kafka's controller answers a partition whose preferred (or, for an unclean election,
 * any live) replica already leads, each existing partition named gets ELECTION_NOT_NEEDED, an unknown
 * topic or partition UNKNOWN_TOPIC_OR_PARTITION, and a request for all partitions (a null list) an
 * empty result, since Kafka lists only the partitions whose leader it changed.
 */
final class ElectLeadersHandler implements ApiHandler {
    private final LogManager log;

    ElectLeadersHandler(LogManager log) {
        this.log = log;
    }

    @Override
    public void handle(RequestContext context) {
        ElectLeadersRequestData request = (ElectLeadersRequestData) context.request().body();
        ElectLeadersResponseData response = new ElectLeadersResponseData().setErrorCode(Errors.NONE.code());
        if (request.topicPartitions() != null) {
            for (TopicPartitions topic : request.topicPartitions()) {
                ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.topic());
                Optional<Topic> found = log.topic(topic.topic());
                for (int partition : topic.partitions()) {
                    result.partitionResult().add(elect(topic.topic(), found, partition));
                }
                response.replicaElectionResults().add(result);
            }
        }
        context.respond(response);
    }

    private static PartitionResult elect(String name, Optional<Topic> topic, int partition) {
        PartitionResult result = new PartitionResult().setPartitionId(partition);
        if (topic.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("No such topic as " + name);
        }
        if (partition < 0 || partition >= topic.get().partitionCount()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("No such partition as " + name + "-" + partition);
        }
        return result.setErrorCode(Errors.ELECTION_NOT_NEEDED.code()).setErrorMessage(null);
    }
}
