package io.tributary.transactions;

import io.tributary.delivery.internal.records.RecordBatchReader;
import io.tributary.delivery.internal.records.RecordBatchWriter;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's durable state: the internal topic {@code __transaction_state} (one partition,
 * kept for ever, created at the first write as Kafka creates it at the first transactional
 * request), one record per state change, keyed by transactional id (value layout in
 * {@link TransactionRecordCodec}; a null value forgets the id). Written through the ingest
 * pipeline; replayed at start, the last record of each id winning.
 *
 * <p>Tributary has no log compaction, so the log compacts itself as the group store does: once it
 * holds more than {@value #COMPACT_SLACK} records beyond twice the live ids, every live state is
 * written again and the log start is moved to the first of them ({@link PartitionLog#deleteRecordsBefore}),
 * so retention deletes the old segments. Used by the coordinator thread only.
 */
final class TransactionLog {
    static final String TOPIC = "__transaction_state";
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLog.class);
    private static final int READ_BYTES = 1 << 20;
    private static final long COMPACT_SLACK = 10_000;
    private static final int RECORDS_PER_BATCH = 500;
    private static final long MAX_RETRY_MS = 64;

    private final LogManager log;
    private final IngestPipeline ingest;
    private final ScheduledExecutorService thread;
    /** Null until the topic exists. */
    private PartitionLog partition;
    private boolean compacting;

    TransactionLog(LogManager log, IngestPipeline ingest, ScheduledExecutorService thread) {
        this.log = log;
        this.ingest = ingest;
        this.thread = thread;
        this.partition = log.topic(TOPIC).map(t -> t.partition(0)).orElse(null);
    }

    private PartitionLog partition() {
        if (partition == null) {
            Topic topic = log.topic(TOPIC).orElseGet(() -> log.createTopic(TOPIC, 1,
                    Map.of(LogConfig.RETENTION_MS, "-1", LogConfig.RETENTION_BYTES, "-1")));
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
        return append(new RecordBatchWriter(256).append(System.currentTimeMillis(),
                TransactionRecordCodec.key(txn.transactionalId), TransactionRecordCodec.encode(txn)).build());
    }

    /** Forgets {@code transactionalId}. */
    CompletableFuture<Void> delete(String transactionalId) {
        return append(new RecordBatchWriter(64).append(System.currentTimeMillis(),
                TransactionRecordCodec.key(transactionalId), null).build());
    }

    /** Writes every live state again and drops what came before, when the log has grown well past them. */
    void compactIfLarge(Collection<TransactionMetadata> live) {
        if (partition == null) {
            return;
        }
        long records = partition.logEndOffset() - partition.logStartOffset();
        if (compacting || records <= 2L * live.size() + COMPACT_SLACK) {
            return;
        }
        compacting = true;
        long cut = partition.logEndOffset();
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        RecordBatchWriter batch = new RecordBatchWriter(4096);
        for (TransactionMetadata txn : live) {
            batch.append(System.currentTimeMillis(), TransactionRecordCodec.key(txn.transactionalId),
                    TransactionRecordCodec.encode(txn));
            if (batch.count() == RECORDS_PER_BATCH) {
                all = all.thenCombine(append(batch.build()), (a, b) -> null);
                batch = new RecordBatchWriter(4096);
            }
        }
        if (batch.count() > 0) {
            all = all.thenCombine(append(batch.build()), (a, b) -> null);
        }
        all.whenCompleteAsync((ok, failure) -> {
            compacting = false;
            if (failure != null) {
                LOG.warn("Compacting {} failed; it stays as it is: {}", TOPIC, failure.toString());
                return;
            }
            try {
                partition.deleteRecordsBefore(cut);
                LOG.info("Compacted {}: {} live transactional ids rewritten, log start now {}", TOPIC, live.size(), cut);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot move the log start of {} to {}: {}", TOPIC, cut, e.toString());
            }
        }, thread);
    }

    private CompletableFuture<Void> append(ByteBuffer batch) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        offer(batch, done, 1);
        return done;
    }

    private void offer(ByteBuffer batch, CompletableFuture<Void> done, long retryMs) {
        OfferResult offered = ingest.offer(partition(), batch, result -> {
            if (result.error() == AppendError.NONE) {
                done.complete(null);
            } else {
                done.completeExceptionally(new IOException("cannot write " + TOPIC + ": " + result.error() + " "
                        + result.message()));
            }
        });
        if (offered == OfferResult.BACK_PRESSURED) {
            thread.schedule(() -> offer(batch, done, Math.min(retryMs * 2, MAX_RETRY_MS)), retryMs, TimeUnit.MILLISECONDS);
        } else if (offered == OfferResult.CLOSED) {
            done.completeExceptionally(new IOException("the ingest pipeline is closed"));
        }
    }
}
