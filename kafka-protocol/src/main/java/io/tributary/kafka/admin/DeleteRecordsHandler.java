package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * DeleteRecords (v0-2), on the admin executor (the new start offset is persisted before the
 * answer): raises each partition's log start offset to the requested one, -1 meaning the high
 * watermark, and answers the new low watermark. As Kafka's ReplicaManager: an internal topic is
 * INVALID_TOPIC_EXCEPTION, an unknown topic or partition UNKNOWN_TOPIC_OR_PARTITION, an offset
 * below -1 or above the high watermark OFFSET_OUT_OF_RANGE, a failed write KAFKA_STORAGE_ERROR.
 * With one replica there is nothing to wait for, so the timeout is not used.
 */
final class DeleteRecordsHandler implements ApiHandler {
    static final long HIGH_WATERMARK = -1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeleteRecordsHandler.class);

    private final LogManager log;
    private final Executor admin;

    DeleteRecordsHandler(LogManager log, Executor admin) {
        this.log = log;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        DeleteRecordsRequestData request = (DeleteRecordsRequestData) context.request().body();
        AdminWork.run(context, admin, () -> deleteAll(request));
    }

    private DeleteRecordsResponseData deleteAll(DeleteRecordsRequestData request) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsTopicResult topicResult = response.topics().find(topic.name());
            if (topicResult == null) {
                topicResult = new DeleteRecordsTopicResult().setName(topic.name());
                response.topics().add(topicResult);
            }
            Optional<Topic> found = log.topic(topic.name());
            for (DeleteRecordsPartition partition : topic.partitions()) {
                topicResult.partitions().add(delete(topic.name(), found, partition));
            }
        }
        return response;
    }

    private DeleteRecordsPartitionResult delete(String name, Optional<Topic> topic, DeleteRecordsPartition request) {
        DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                .setPartitionIndex(request.partitionIndex()).setLowWatermark(-1L);
        if (Topics.isInternal(name)) {
            return result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        if (topic.isEmpty() || request.partitionIndex() < 0 || request.partitionIndex() >= topic.get().partitionCount()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        PartitionLog partition = topic.get().partition(request.partitionIndex());
        long offset = request.offset() == HIGH_WATERMARK ? partition.highWatermark() : request.offset();
        try {
            return result.setLowWatermark(partition.deleteRecordsBefore(offset)).setErrorCode(Errors.NONE.code());
        } catch (OffsetOutOfRangeException e) {
            return result.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
        } catch (IOException e) {
            LOG.error("Cannot persist the new log start offset {} of {}-{}", offset, name, request.partitionIndex(), e);
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }
}
