package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.Optional;

/**
 * OffsetForLeaderEpoch (v2-4), on the event loop. This single node has led every partition since
 * its creation at leader epoch {@value #LEADER_EPOCH}, as metadata says. So, as Kafka's leader
 * epoch cache answers: for epoch 0 the end offset of that epoch is the log end offset (consumers
 * validating a position after a metadata change compare it with their position, which is never
 * past the high watermark); for any other epoch there is no entry, answered as Kafka does with no
 * error and epoch -1, end offset -1. A {@code currentLeaderEpoch} other than -1 (unchecked) and 0
 * is UNKNOWN_LEADER_EPOCH, since it can only be newer than ours. Unknown topic or partition:
 * UNKNOWN_TOPIC_OR_PARTITION.
 */
final class OffsetForLeaderEpochHandler implements ApiHandler {
    static final int LEADER_EPOCH = 0;
    private static final int NO_EPOCH = -1;
    private static final long NO_OFFSET = -1L;

    private final LogManager log;

    OffsetForLeaderEpochHandler(LogManager log) {
        this.log = log;
    }

    @Override
    public void handle(RequestContext context) {
        OffsetForLeaderEpochRequestData request = (OffsetForLeaderEpochRequestData) context.request().body();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            Optional<Topic> found = log.topic(topic.topic());
            for (OffsetForLeaderPartition partition : topic.partitions()) {
                result.partitions().add(endOffset(found, partition));
            }
            response.topics().add(result);
        }
        context.respond(response);
    }

    private static EpochEndOffset endOffset(Optional<Topic> topic, OffsetForLeaderPartition request) {
        EpochEndOffset result = new EpochEndOffset().setPartition(request.partition())
                .setLeaderEpoch(NO_EPOCH).setEndOffset(NO_OFFSET);
        if (topic.isEmpty() || request.partition() < 0 || request.partition() >= topic.get().partitionCount()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        if (request.currentLeaderEpoch() >= 0 && request.currentLeaderEpoch() != LEADER_EPOCH) {
            return result.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
        }
        result.setErrorCode(Errors.NONE.code());
        if (request.leaderEpoch() == LEADER_EPOCH) {
            result.setLeaderEpoch(LEADER_EPOCH).setEndOffset(topic.get().partition(request.partition()).logEndOffset());
        }
        return result;
    }
}
