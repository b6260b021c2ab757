package io.tributary.pipeline.internal;

import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.pipeline.AppendError;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The idempotent producers one partition knows, and Kafka's rules for accepting their next batch
 * (as in Kafka 4's {@code ProducerAppendInfo}, for data batches from clients):
 *
 * <ul>
 *   <li>a batch equal (epoch, first and last sequence) to one of the last five written is a
 *       duplicate, answered with the original offsets ({@link ProducerEntry#findDuplicate});</li>
 *   <li>an epoch older than the known one: {@link AppendError#INVALID_PRODUCER_EPOCH};</li>
 *   <li>a newer epoch must start at sequence 0, else {@link AppendError#OUT_OF_ORDER_SEQUENCE};</li>
 *   <li>the same epoch must continue at last sequence + 1 (wrapping), else OUT_OF_ORDER_SEQUENCE;</li>
 *   <li>a producer the partition does not know (never seen, expired, or its batches removed by
 *       retention) is accepted at any sequence. Kafka stopped answering UNKNOWN_PRODUCER_ID here
 *       with KIP-360; the client's own epoch bump handles the rest.</li>
 * </ul>
 *
 * <p>Owned by the sequence stage's thread; not thread-safe.
 */
final class ProducerStateTable {
    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    /** Rebuilds the table from the batches stored in {@code log}, oldest first. */
    static ProducerStateTable load(PartitionLog log, long nowMs) throws IOException {
        ProducerStateTable table = new ProducerStateTable();
        log.scanBatches(log.logStartOffset(), header -> table.replay(header, nowMs));
        return table;
    }

    /** Remembers a stored batch met while scanning the log, if it is an idempotent data batch. */
    void replay(RecordBatchHeader header, long nowMs) {
        if (header.producerId() != RecordBatchHeader.NO_PRODUCER_ID && !header.isControl()) {
            record(header.producerId(), header.producerEpoch(), header.baseSequence(),
                    ProducerEntry.lastSequence(header.baseSequence(), header.lastOffsetDelta()),
                    header.baseOffset(), header.lastOffset(), header.maxTimestamp(), nowMs);
        }
    }

    /**
     * Adds a producer read back from a snapshot, with no batches yet ({@link ProducerEntry#addBatch}
     * them oldest first) and its last activity time, so that it expires as if never unloaded.
     */
    ProducerEntry restore(long producerId, long lastActivityMs) {
        ProducerEntry entry = new ProducerEntry();
        entry.touch(lastActivityMs);
        producers.put(producerId, entry);
        return entry;
    }

    /** Every producer, for writing a snapshot; the map must not be changed through this view. */
    Map<Long, ProducerEntry> entries() {
        return Collections.unmodifiableMap(producers);
    }

    /** Forgets batches below {@code logStartOffset}; producers left with none are dropped. */
    void forgetBefore(long logStartOffset) {
        producers.values().removeIf(entry -> entry.forgetBefore(logStartOffset));
    }

    /** The producer's entry, or null if the partition does not know it. */
    ProducerEntry get(long producerId) {
        return producers.get(producerId);
    }

    int size() {
        return producers.size();
    }

    /** Which rule, if any, a non-duplicate batch breaks; {@link AppendError#NONE} to accept it. */
    AppendError check(ProducerEntry entry, short epoch, int firstSeq) {
        if (entry == null) {
            return AppendError.NONE;
        }
        if (epoch < entry.epoch()) {
            return AppendError.INVALID_PRODUCER_EPOCH;
        }
        if (epoch != entry.epoch()) {
            return firstSeq == 0 ? AppendError.NONE : AppendError.OUT_OF_ORDER_SEQUENCE;
        }
        return ProducerEntry.inSequence(entry.lastSeq(), firstSeq) ? AppendError.NONE
                : AppendError.OUT_OF_ORDER_SEQUENCE;
    }

    /** Remembers a batch that is being written at the given offsets. */
    void record(long producerId, short epoch, int firstSeq, int lastSeq, long baseOffset, long lastOffset,
                long timestamp, long nowMs) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerEntry();
            producers.put(producerId, entry);
        }
        entry.addBatch(epoch, firstSeq, lastSeq, baseOffset, lastOffset, timestamp);
        entry.touch(nowMs);
    }

    /** Drops producers idle for at least {@code expirationMs}; returns how many. */
    int expire(long nowMs, long expirationMs) {
        int removed = 0;
        for (Iterator<ProducerEntry> it = producers.values().iterator(); it.hasNext(); ) {
            if (nowMs - it.next().lastActivityMs() >= expirationMs) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Forgets every batch at or past {@code offset}, after a failed write; producers left with none are dropped. */
    void truncateFrom(long offset) {
        producers.values().removeIf(entry -> entry.truncateFrom(offset));
    }
}
