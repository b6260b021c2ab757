package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.kafka.txn.TxnErrors;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.Topic;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.transactions.TxnError;
import io.tributary.transactions.TxnPartition;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Produce (v3+): each partition's record batches go to {@link IngestPipeline#offer}; the response
 * is sent once every partition has its result (see {@link ProduceOperation} for back-pressure,
 * timeouts and acks=0). Unknown topics answer UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID from
 * v13, which names topics by id); like Kafka, a produce never creates a topic, and clients may not
 * write to Kafka's internal topics (INVALID_TOPIC_EXCEPTION). A transactional batch is written only
 * into a partition its producer's open transaction added (see {@link TransactionalWrites}); from v12, when
 * the broker finalizes {@code transaction.version} 2, the Produce adds its partitions to the transaction
 * itself first ({@link ImplicitPartitions}), and the batches are offered once the coordinator has put the
 * new transaction state in the ingest ring, ahead of them (they are acknowledged only after it is stored;
 * decision 0038). A client id
 * ending in {@value ProduceDurability#FSYNC_SUFFIX} has the appends fsynced before the response
 * ({@link ProduceDurability}).
 */
public final class ProduceHandler implements ApiHandler {
    private final LogManager log;
    private final IngestPipeline ingest;
    private final TransactionalWrites transactions;
    /** Null when the broker finalizes transaction.version 1: every version is verified only. */
    private final ImplicitPartitions implicitPartitions;
    /**
     * Per transactional producer id, while one of its Produce requests waits for the coordinator to add
     * partitions: completes once that request has offered its batches. A later request of the producer asks
     * the coordinator for its own partitions at once but offers its batches only after that, even when its
     * partitions are all added by then, so that they never overtake the earlier ones in the pipeline (their
     * sequence numbers would be out of order).
     */
    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** {@code transactions} decides whether a transactional batch may be written (see {@link TransactionalWrites}). */
    public ProduceHandler(LogManager log, IngestPipeline ingest, TransactionalWrites transactions) {
        this(log, ingest, transactions, null);
    }

    /**
     * As {@link #ProduceHandler(LogManager, IngestPipeline, TransactionalWrites)}, and a transactional Produce
     * v12+ adds its partitions through {@code implicitPartitions} (transaction.version 2; null: version 1).
     */
    public ProduceHandler(LogManager log, IngestPipeline ingest, TransactionalWrites transactions,
                          ImplicitPartitions implicitPartitions) {
        this.log = log;
        this.ingest = ingest;
        this.transactions = transactions;
        this.implicitPartitions = implicitPartitions;
    }

    @Override
    public void handle(RequestContext context) {
        ProduceRequestData request = (ProduceRequestData) context.request().body();
        short version = context.request().apiVersion();
        ProduceOperation operation = new ProduceOperation(context, ingest, request.acks(), request.timeoutMs(),
                ProduceDurability.of(context.request().header().clientId()));
        boolean implicit = implicitPartitions != null && version >= IMPLICIT_PARTITIONS_SINCE
                && request.transactionalId() != null;
        Map<ProducerKey, List<Pending>> toAdd = new LinkedHashMap<>();
        long txnProducer = -1L;
        for (TopicProduceData topicData : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse()
                    .setName(topicData.name()).setTopicId(topicData.topicId());
            Optional<Topic> topic = version >= 13 ? Topics.byId(log, topicData.topicId()) : log.topic(topicData.name());
            for (PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse partitionResponse = new PartitionProduceResponse()
                        .setIndex(partitionData.index()).setBaseOffset(-1L);
                topicResponse.partitionResponses().add(partitionResponse);
                Errors error = check(topic, partitionData, version);
                RecordBatchHeader txnHeader = error == Errors.NONE ? transactionalHeader(partitionData) : null;
                if (txnHeader != null) {
                    txnProducer = txnHeader.producerId();
                    TxnError verified = transactions.check(txnHeader.producerId(), txnHeader.producerEpoch(),
                            topic.get().name(), partitionData.index());
                    if (implicit && verified != TxnError.NONE && verified != TxnError.INVALID_PRODUCER_EPOCH) {
                        toAdd.computeIfAbsent(new ProducerKey(txnHeader.producerId(), txnHeader.producerEpoch()),
                                k -> new ArrayList<>()).add(new Pending(topic.get(), partitionData, partitionResponse));
                        continue;
                    }
                    error = verificationError(verified, version);
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
        CompletableFuture<Void> earlier = implicit && txnProducer >= 0 ? waiting.get(txnProducer) : null;
        if (toAdd.isEmpty() && (earlier == null || earlier.isDone())) {
            operation.start();
            return;
        }
        CompletableFuture<Void> offered = new CompletableFuture<>();
        long producerId = txnProducer;
        earlier = waiting.put(producerId, offered);
        // the coordinator is asked now, in request order; only the offers wait for the earlier request's
        List<CompletableFuture<?>> before = addPartitions(context, request.transactionalId(), toAdd, operation);
        if (earlier != null) {
            before.add(earlier);
        }
        CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) ->
                context.execute(() -> {
                    try {
                        operation.start();
                    } finally {
                        offered.complete(null);
                        waiting.remove(producerId, offered);
                    }
                }));
    }

    /**
     * Asks the coordinator to add the partitions of each producer (one, unless the request is odd) to its
     * transaction; as each answers, the batches it took join {@code operation} and the others get its error, as
     * Kafka's broker maps the answers of its AddPartitionsToTxn (PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH).
     * Returns one future per producer, complete once its batches have joined.
     */
    private List<CompletableFuture<?>> addPartitions(RequestContext context, String transactionalId,
                                                     Map<ProducerKey, List<Pending>> toAdd, ProduceOperation operation) {
        List<CompletableFuture<?>> added = new ArrayList<>();
        toAdd.forEach((producer, pending) -> {
            List<TxnPartition> partitions = pending.stream()
                    .map(p -> new TxnPartition(p.topic.name(), p.data.index())).toList();
            added.add(implicitPartitions.add(transactionalId, producer.producerId, producer.epoch, partitions)
                    .whenComplete((answer, failure) -> context.execute(() -> {
                        Supplier<Errors> stored = failure != null ? null
                                : () -> implicitError(answer.stored().getNow(TxnError.COORDINATOR_NOT_AVAILABLE));
                        for (Pending p : pending) {
                            TxnError error = failure != null ? TxnError.COORDINATOR_NOT_AVAILABLE : answer.errors()
                                    .getOrDefault(new TxnPartition(p.topic.name(), p.data.index()), TxnError.NONE);
                            if (error == TxnError.NONE) {
                                operation.add(p.topic.partition(p.data.index()), ((MemoryRecords) p.data.records()).buffer(),
                                        p.response, stored);
                            } else {
                                p.response.setErrorCode(implicitError(error).code());
                            }
                        }
                    })));
        });
        return added;
    }

    /** A coordinator error of an implicit add as the Produce answers it (Kafka's broker hands its producers PRODUCER_FENCED so). */
    private static Errors implicitError(TxnError error) {
        return error == TxnError.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : TxnErrors.toKafka(error);
    }

    /** The header of a transactional data batch, or null when the partition's records are not one. */
    private static RecordBatchHeader transactionalHeader(PartitionProduceData partition) {
        ByteBuffer buffer = ((MemoryRecords) partition.records()).buffer();
        if (buffer.remaining() < RecordBatchHeader.HEADER_SIZE) {
            return null;
        }
        RecordBatchHeader header = new RecordBatchHeader().wrap(buffer, buffer.position());
        return header.isTransactional() && !header.isControl() ? header : null;
    }

    /**
     * The answer to a transactional batch whose producer's open transaction did not add the partition, as
     * Kafka's partition verification answers: TRANSACTION_ABORTABLE from v11 (INVALID_TXN_STATE before,
     * which older clients know), INVALID_PRODUCER_EPOCH from an epoch the transactional id has left behind.
     */
    private static Errors verificationError(TxnError verified, short version) {
        if (verified == TxnError.TRANSACTION_ABORTABLE && version < TRANSACTION_ABORTABLE_SINCE) {
            return Errors.INVALID_TXN_STATE;
        }
        return TxnErrors.toKafka(verified);
    }

    private static final int TRANSACTION_ABORTABLE_SINCE = 11;
    private static final int IMPLICIT_PARTITIONS_SINCE = 12;

    private record ProducerKey(long producerId, short epoch) {
    }

    private record Pending(Topic topic, PartitionProduceData data, PartitionProduceResponse response) {
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
