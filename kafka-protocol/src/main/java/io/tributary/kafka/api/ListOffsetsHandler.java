package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.TimestampOffset;
import io.tributary.log.Topic;
import io.tributary.pipeline.TransactionView;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * ListOffsets (v1+). Per partition, by the requested timestamp:
 *
 * <table>
 *   <caption>Answers</caption>
 *   <tr><th>timestamp</th><th>offset</th></tr>
 *   <tr><td>-2 earliest, -4 earliest local</td><td>log start offset (all data is local)</td></tr>
 *   <tr><td>-1 latest</td><td>high watermark; the last stable offset for read_committed (isolation level 1)</td></tr>
 *   <tr><td>-3 max timestamp</td><td>first record carrying the largest timestamp below the high watermark</td></tr>
 *   <tr><td>-5 latest tiered, -6 earliest pending upload</td><td>-1: there is no tiered storage</td></tr>
 *   <tr><td>t &gt;= 0</td><td>first record from the log start on with timestamp &gt;= t, found from the time index, then
 *       inside the batch; -1 if none</td></tr>
 * </table>
 *
 * Leader epoch (v4+) is 0 for a found offset, -1 otherwise. Max timestamp scans the headers of
 * every batch of the partition (core-log keeps no max-timestamp index): fine for the occasional
 * admin query it serves, not for a hot path. A partition offline after a storage failure answers
 * KAFKA_STORAGE_ERROR. The lookups read index and segment files, so the whole request runs on the
 * broker's read executor, never on the event loop.
 */
public final class ListOffsetsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ListOffsetsHandler.class);
    private static final long UNKNOWN = -1L;

    private static final byte READ_COMMITTED = 1;

    private final LogManager log;
    private final Function<PartitionLog, TransactionView> transactions;
    private final Executor reads;

    public ListOffsetsHandler(LogManager log, Function<PartitionLog, TransactionView> transactions, Executor reads) {
        this.log = log;
        this.transactions = transactions;
        this.reads = reads;
    }

    @Override
    public void handle(RequestContext context) {
        try {
            reads.execute(() -> answer(context));
        } catch (RejectedExecutionException e) {
            context.closeConnection("ListOffsets not served: the broker is shutting down");
        }
    }

    private void answer(RequestContext context) {
        ListOffsetsRequestData request = (ListOffsetsRequestData) context.request().body();
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsTopic wanted : request.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(wanted.name());
            Optional<Topic> topic = log.topic(wanted.name());
            for (ListOffsetsPartition partition : wanted.partitions()) {
                ListOffsetsPartitionResponse answer = new ListOffsetsPartitionResponse()
                        .setPartitionIndex(partition.partitionIndex())
                        .setTimestamp(UNKNOWN).setOffset(UNKNOWN).setLeaderEpoch(-1);
                if (topic.isEmpty() || partition.partitionIndex() < 0
                        || partition.partitionIndex() >= topic.get().partitionCount()) {
                    answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    PartitionLog target = topic.get().partition(partition.partitionIndex());
                    if (request.isolationLevel() == READ_COMMITTED
                            && partition.timestamp() == ListOffsetsRequest.LATEST_TIMESTAMP
                            && target.offlineReason().isEmpty()) {
                        found(answer, UNKNOWN, transactions.apply(target).lastStableOffset());
                    } else {
                        lookUp(target, partition.timestamp(), answer);
                    }
                }
                if (context.request().apiVersion() < 4) {
                    answer.setLeaderEpoch(-1);
                }
                topicResponse.partitions().add(answer);
            }
            response.topics().add(topicResponse);
        }
        context.respond(response);
    }

    private static void lookUp(PartitionLog partition, long timestamp, ListOffsetsPartitionResponse answer) {
        if (partition.offlineReason().isPresent()) {
            answer.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            return;
        }
        try {
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
                found(answer, UNKNOWN, partition.logStartOffset());
            } else if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                found(answer, UNKNOWN, partition.highWatermark());
            } else if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
                maxTimestamp(partition, answer);
            } else if (timestamp >= 0) {
                byTimestamp(partition, timestamp, answer);
            } else if (timestamp != ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
                    && timestamp != ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
                answer.setErrorCode(Errors.INVALID_REQUEST.code());
            }
        } catch (IOException e) {
            LOG.warn("ListOffsets on {}-{} failed: {}", partition.topic(), partition.partition(), e.toString());
            answer.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }

    private static void found(ListOffsetsPartitionResponse answer, long timestamp, long offset) {
        answer.setTimestamp(timestamp).setOffset(offset).setLeaderEpoch(0);
    }

    private static void byTimestamp(PartitionLog partition, long timestamp, ListOffsetsPartitionResponse answer)
            throws IOException {
        Optional<TimestampOffset> batch = partition.offsetForTimestamp(timestamp);
        if (batch.isEmpty()) {
            return;
        }
        TimestampOffset hit = batch.get();
        long logStart = partition.logStartOffset();
        if (hit.offset() < logStart) {
            // as Kafka: the first record from the log start on, never one DeleteRecords left in a stored batch
            try {
                RecordTimestamps.firstAtOrAfter(partition, logStart, partition.highWatermark(), timestamp)
                        .ifPresent(record -> found(answer, record.timestamp(), record.offset()));
            } catch (OffsetOutOfRangeException movedOn) {
                byTimestamp(partition, timestamp, answer); // retention or DeleteRecords moved the log start on
            }
            return;
        }
        RecordTimestamps.Found record = RecordTimestamps.firstAtOrAfter(hit.batch(), timestamp)
                .orElse(new RecordTimestamps.Found(hit.timestamp(), hit.offset()));
        found(answer, record.timestamp(), record.offset());
    }

    private static void maxTimestamp(PartitionLog partition, ListOffsetsPartitionResponse answer) throws IOException {
        long highWatermark = partition.highWatermark();
        long[] best = {Long.MIN_VALUE, UNKNOWN};
        partition.scanBatches(partition.logStartOffset(), header -> {
            if (header.baseOffset() < highWatermark && header.maxTimestamp() > best[0]) {
                best[0] = header.maxTimestamp();
                best[1] = header.baseOffset();
            }
        });
        if (best[1] == UNKNOWN) {
            return;
        }
        LogSlice slice = partition.read(best[1], 1, highWatermark, true);
        long offset = RecordTimestamps.firstEqual(slice, best[0]).map(RecordTimestamps.Found::offset).orElse(best[1]);
        found(answer, best[0], offset);
    }
}
