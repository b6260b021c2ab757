package io.tributary.kafka.txn;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.OfferResult;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WriteTxnMarkers v1-2: writes the requested commit or abort markers straight into the partitions,
 * outside the transaction coordinator. A single broker writes its own markers, so clients send this
 * only through {@code Admin.abortTransaction} ({@code kafka-transactions abort}), which ends a
 * hanging transaction found with DescribeProducers. A marker older than the producer's epoch in the
 * partition answers INVALID_PRODUCER_EPOCH; an unknown partition UNKNOWN_TOPIC_OR_PARTITION; a full
 * ring (back-pressure) or a closing pipeline COORDINATOR_NOT_AVAILABLE, which the admin client retries.
 */
final class WriteTxnMarkersHandler implements ApiHandler {
    private final LogManager log;
    private final IngestPipeline ingest;

    WriteTxnMarkersHandler(LogManager log, IngestPipeline ingest) {
        this.log = log;
        this.ingest = ingest;
    }

    @Override
    public void handle(RequestContext context) {
        WriteTxnMarkersRequestData request = (WriteTxnMarkersRequestData) context.request().body();
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        AtomicInteger outstanding = new AtomicInteger(1);
        Runnable done = () -> {
            if (outstanding.decrementAndGet() == 0) {
                context.execute(() -> context.respond(response));
            }
        };
        for (WritableTxnMarker marker : request.markers()) {
            WritableTxnMarkerResult markerResult = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            response.markers().add(markerResult);
            MarkerType type = marker.transactionResult() ? MarkerType.COMMIT : MarkerType.ABORT;
            for (WritableTxnMarkerTopic topic : marker.topics()) {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                markerResult.topics().add(topicResult);
                Optional<Topic> found = log.topic(topic.name());
                for (int index : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult result = new WritableTxnMarkerPartitionResult().setPartitionIndex(index);
                    topicResult.partitions().add(result);
                    if (found.isEmpty() || index < 0 || index >= found.get().partitionCount()) {
                        result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                        continue;
                    }
                    PartitionLog partition = found.get().partition(index);
                    outstanding.incrementAndGet();
                    OfferResult offered = ingest.offerMarker(partition, marker.producerId(), marker.producerEpoch(), type,
                            marker.coordinatorEpoch(), appended -> {
                                // response fields are filled on the commit thread; outstanding orders them before the send
                                result.setErrorCode(toKafka(appended.error()).code());
                                done.run();
                            });
                    if (offered != OfferResult.ACCEPTED) {
                        result.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                        done.run();
                    }
                }
            }
        }
        done.run();
    }

    private static Errors toKafka(AppendError error) {
        return switch (error) {
            case NONE -> Errors.NONE;
            case INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
            case STORAGE_ERROR -> Errors.KAFKA_STORAGE_ERROR;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }
}
