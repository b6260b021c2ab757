package io.tributary.transactions;

import io.tributary.delivery.internal.records.RecordBatchReader;
import io.tributary.delivery.internal.records.RecordBatchWriter;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OrderedOffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The coordinator's durable state: the internal topic {@code __transaction_state} (one partition,
 * kept for ever, created at the first write as Kafka creates it at the first transactional
 * request), one record per state change, keyed by transactional id (value layout in
 * {@link TransactionRecordCodec}; a null value forgets the id). Written through the ingest
 * pipeline; replayed at start, the last record of each id winning.
 *
 * <p>The topic is compacted ({@code cleanup.policy=compact}, as Kafka's {@code __transaction_state}), so
 * the log cleaner keeps the last record of each transactional id and drops an expired id's tombstone
 * after {@code delete.retention.ms}; the policy is re-applied when the topic is opened, so a topic from
 * before compaction becomes compacted too. Used by the coordinator thread only.
 */
final class TransactionLog {
    static final String TOPIC = "__transaction_state";
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLog.class);
    private static final int READ_BYTES = 1 << 20;
    /** Segment size of the topic: the cleaner cleans closed segments only, so this bounds what a start replays uncleaned. */
    static final int SEGMENT_BYTES = 16 * 1024 * 1024;
    private static final Map<String, String> CONFIG = Map.of(LogConfig.CLEANUP_POLICY, "compact",
            LogConfig.SEGMENT_BYTES, Integer.toString(SEGMENT_BYTES),
            LogConfig.RETENTION_MS, "-1", LogConfig.RETENTION_BYTES, "-1");
    private static final long MAX_RETRY_MS = 64;

    private final LogManager log;
    /** Keeps an id's states in the order they were written when the ring back-pressures. */
    private final OrderedOffers offers;
    /** Null until the topic exists. */
    private PartitionLog partition;

    TransactionLog(LogManager log, IngestPipeline ingest, ScheduledExecutorService thread) {
        this.log = log;
        this.offers = new OrderedOffers(ingest, thread, MAX_RETRY_MS);
        this.partition = log.topic(TOPIC).map(this::compacted).map(t -> t.partition(0)).orElse(null);
    }

    /** {@code topic} with {@link #CONFIG} applied: a topic written before compaction existed becomes compacted. */
    private Topic compacted(Topic topic) {
        if (topic.configOverrides().entrySet().containsAll(CONFIG.entrySet())) {
            return topic;
        }
        Map<String, String> overrides = new HashMap<>(topic.configOverrides());
        overrides.putAll(CONFIG);
        try {
            return log.alterTopicConfig(TOPIC, overrides);
        } catch (UnsupportedOperationException e) {
            LOG.warn("Cannot set the config of {} to {}: {}", TOPIC, CONFIG, e.getMessage());
            return topic;
        }
    }

    private PartitionLog partition() {
        if (partition == null) {
            Topic topic = log.topic(TOPIC).orElseGet(() -> log.createTopic(TOPIC, 1, CONFIG));
            partition = topic.partition(0);
        }
        return partition;
    }

    /** Every transactional id's last stored state; none before the topic exists. */
    Map<String, TransactionMetadata> replay() throws IOException {
        Map<String, TransactionMetadata> states = new LinkedHashMap<>();
        if (partition == null) {
            return states;
        }
        long offset = partition.logStartOffset();
        long end = partition.highWatermark();
        while (offset < end) {
            LogSlice slice = partition.read(offset, READ_BYTES, end, true);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer bytes = ByteBuffer.allocate(slice.size());
            while (bytes.hasRemaining()) {
                if (slice.channel().read(bytes, slice.position() + bytes.position()) < 0) {
                    throw new IOException("unexpected end of " + TOPIC + " at offset " + offset);
                }
            }
            bytes.flip();
            long next = RecordBatchReader.forEach(bytes, (recordOffset, timestamp, key, value, headers) -> {
                String id = TransactionRecordCodec.decodeKey(key);
                if (value == null) {
                    states.remove(id);
                } else {
                    states.put(id, TransactionRecordCodec.decode(id, value));
                }
            });
            if (next <= offset) {
                throw new IOException("no progress replaying " + TOPIC + " at offset " + offset);
            }
            offset = next;
        }
        return states;
    }

    /** Stores {@code txn}'s state as it is now; completes once it is in the log. */
    CompletableFuture<Void> write(TransactionMetadata txn) {
        return write(txn, Durability.FLUSH_POLICY);
    }

    /**
     * As {@link #write(TransactionMetadata)}; with {@link Durability#FSYNC} it completes only once the record is
     * fsynced (group-committed), whatever the topic's flush policy.
     */
    CompletableFuture<Void> write(TransactionMetadata txn, Durability durability) {
        return offer(txn, durability).stored();
    }

    /**
     * As {@link #write(TransactionMetadata, Durability)}, and says when the record is in the ingest ring: a batch
     * offered after that is written and committed after the record ({@link OrderedOffers#offer}).
     */
    OrderedOffers.Offered offer(TransactionMetadata txn, Durability durability) {
        return offers.offer(partition(), new RecordBatchWriter(256).append(System.currentTimeMillis(),
                TransactionRecordCodec.key(txn.transactionalId), TransactionRecordCodec.encode(txn)).build(), durability);
    }

    /** Stores {@code txn}'s state; {@code outcome} once it is stored, COORDINATOR_NOT_AVAILABLE if it cannot be. */
    CompletableFuture<TxnError> store(TransactionMetadata txn, TxnError outcome) {
        return store(txn, outcome, Durability.FLUSH_POLICY);
    }

    /** As {@link #store(TransactionMetadata, TxnError)}, written with {@code durability}. */
    CompletableFuture<TxnError> store(TransactionMetadata txn, TxnError outcome, Durability durability) {
        return stored(txn, write(txn, durability), outcome);
    }

    /** {@code outcome} once {@code write} of {@code txn}'s state completes, COORDINATOR_NOT_AVAILABLE if it failed. */
    static CompletableFuture<TxnError> stored(TransactionMetadata txn, CompletableFuture<Void> write, TxnError outcome) {
        return write.handle((ok, failure) -> {
            if (failure != null) {
                LOG.error("Cannot store the state of transactional id {}: {}", txn.transactionalId, failure.toString());
                return TxnError.COORDINATOR_NOT_AVAILABLE;
            }
            return outcome;
        });
    }

    /** Forgets {@code transactionalId}. */
    CompletableFuture<Void> delete(String transactionalId) {
        return append(new RecordBatchWriter(64).append(System.currentTimeMillis(),
                TransactionRecordCodec.key(transactionalId), null).build(), Durability.FLUSH_POLICY);
    }

    /**
     * Offers {@code batch} after every batch offered before it: the coordinator offers an id's next state
     * without waiting for the previous one to be stored.
     */
    private CompletableFuture<Void> append(ByteBuffer batch, Durability durability) {
        return offers.append(partition(), batch, durability);
    }
}
