package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.kafka.txn.TxnErrors;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.Topic;
import io.tributary.pipeline.IngestPipeline;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Produce (v3+): each partition's record batches go to {@link IngestPipeline#offer}; the response
 * is sent once every partition has its result (see {@link ProduceOperation} for back-pressure,
 * timeouts and acks=0). Unknown topics answer UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID from
 * v13, which names topics by id); like Kafka, a produce never creates a topic, and clients may not
 * write to Kafka's internal topics (INVALID_TOPIC_EXCEPTION). A transactional batch is written only
 * into a partition its producer's open transaction added (see {@link #checkTransactional}). A client id
 * ending in {@value ProduceDurability#FSYNC_SUFFIX} has the appends fsynced before the response
 * ({@link ProduceDurability}).
 */
public final class ProduceHandler implements ApiHandler {
    private final LogManager log;
    private final IngestPipeline ingest;
    private final TransactionalWrites transactions;

    /** {@code transactions} decides whether a transactional batch may be written (see {@link TransactionalWrites}). */
    public ProduceHandler(LogManager log, IngestPipeline ingest, TransactionalWrites transactions) {
        this.log = log;
        this.ingest = ingest;
        this.transactions = transactions;
    }

    @Override
    public void handle(RequestContext context) {
        ProduceRequestData request = (ProduceRequestData) context.request().body();
        short version = context.request().apiVersion();
        ProduceOperation operation = new ProduceOperation(context, ingest, request.acks(), request.timeoutMs(),
                ProduceDurability.of(context.request().header().clientId()));
        for (TopicProduceData topicData : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse()
                    .setName(topicData.name()).setTopicId(topicData.topicId());
            Optional<Topic> topic = version >= 13 ? Topics.byId(log, topicData.topicId()) : log.topic(topicData.name());
            for (PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse partitionResponse = new PartitionProduceResponse()
                        .setIndex(partitionData.index()).setBaseOffset(-1L);
                topicResponse.partitionResponses().add(partitionResponse);
                Errors error = check(topic, partitionData, version);
                if (error == Errors.NONE) {
                    error = checkTransactional(topic.get().name(), partitionData);
                }
                if (error != Errors.NONE) {
                    partitionResponse.setErrorCode(error.code());
                } else {
                    MemoryRecords records = (MemoryRecords) partitionData.records();
                    operation.add(topic.get().partition(partitionData.index()), records.buffer(), partitionResponse);
                }
            }
            operation.response().responses().add(topicResponse);
        }
        operation.start();
    }

    /**
     * A transactional batch needs its producer's open transaction to have added the partition:
     * INVALID_TXN_STATE otherwise, INVALID_PRODUCER_EPOCH from an epoch the transactional id has
     * left behind (as Kafka's partition verification answers).
     */
    private Errors checkTransactional(String topic, PartitionProduceData partition) {
        MemoryRecords records = (MemoryRecords) partition.records();
        ByteBuffer buffer = records.buffer();
        if (buffer.remaining() < RecordBatchHeader.HEADER_SIZE) {
            return Errors.NONE;
        }
        RecordBatchHeader header = new RecordBatchHeader().wrap(buffer, buffer.position());
        if (!header.isTransactional() || header.isControl()) {
            return Errors.NONE;
        }
        return TxnErrors.toKafka(transactions.check(header.producerId(), header.producerEpoch(), topic, partition.index()));
    }

    private static Errors check(Optional<Topic> topic, PartitionProduceData partition, short version) {
        if (topic.isEmpty()) {
            return version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (Topics.isInternal(topic.get().name())) {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
        if (partition.index() < 0 || partition.index() >= topic.get().partitionCount()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (!(partition.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0) {
            return Errors.INVALID_RECORD;
        }
        return Errors.NONE;
    }
}
