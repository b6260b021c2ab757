package io.tributary.pipeline.internal;

import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AbortedTransaction;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.TransactionView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The transactions of one partition.
 *
 * <p>Two writers, each owning its part: the sequence stage opens a transaction when it numbers a
 * producer's first transactional batch ({@link #open}) and closes it in its own books when it numbers
 * the marker ({@link #closeInSequence}); the commit stage, once the marker is in the log, records an
 * abort and only then drops the open transaction from what readers see ({@link #complete}), so a
 * read_committed reader never finds an aborted transaction's records below the last stable offset
 * without its entry in {@link #abortedTransactions}. Readers use the concurrent maps only.
 */
final class PartitionTransactions implements TransactionView {
    private final PartitionLog partition;
    /** Sequence stage only: producer id to the first offset of its open transaction. */
    private final Map<Long, Long> openBySequence = new HashMap<>();
    /** Sequence stage only: the newest epoch a marker wrote per producer; older batches are fenced. */
    private final Map<Long, Short> markerEpochs = new HashMap<>();
    /** First offset to producer id of every transaction whose marker is not committed yet. */
    private final ConcurrentSkipListMap<Long, Long> open = new ConcurrentSkipListMap<>();
    /** Marker offset to aborted transaction. */
    private final ConcurrentSkipListMap<Long, AbortedTransaction> aborted = new ConcurrentSkipListMap<>();

    PartitionTransactions(PartitionLog partition) {
        this.partition = partition;
    }

    /** Sequence stage: a transactional batch of {@code producerId} got {@code baseOffset}. */
    void open(long producerId, long baseOffset) {
        if (openBySequence.putIfAbsent(producerId, baseOffset) == null) {
            open.put(baseOffset, producerId);
        }
    }

    /** Sequence stage: the marker of {@code producerId} was numbered; returns the first offset it closes, or -1. */
    long closeInSequence(long producerId, short epoch) {
        markerEpochs.merge(producerId, epoch, (a, b) -> (short) Math.max(a, b));
        Long first = openBySequence.remove(producerId);
        return first == null ? -1L : first;
    }

    /** Sequence stage: the newest epoch a marker of {@code producerId} carried, or -1. */
    short markerEpoch(long producerId) {
        Short epoch = markerEpochs.get(producerId);
        return epoch == null ? -1 : epoch;
    }

    /** Commit stage: the marker at {@code markerOffset} of the transaction from {@code firstOffset} is in the log. */
    void complete(long producerId, long firstOffset, long markerOffset, MarkerType type) {
        if (firstOffset < 0) {
            return;
        }
        if (type == MarkerType.ABORT) {
            aborted.put(markerOffset, new AbortedTransaction(producerId, firstOffset, markerOffset));
        }
        open.remove(firstOffset, producerId);
    }

    /** Sequence stage, after a failed write: transactions opened at or past {@code offset} never started. */
    void truncateFrom(long offset) {
        openBySequence.values().removeIf(first -> first >= offset);
        open.tailMap(offset).clear();
    }

    @Override
    public long lastStableOffset() {
        long highWatermark = partition.highWatermark();
        Map.Entry<Long, Long> oldest = open.firstEntry();
        return oldest == null ? highWatermark : Math.min(highWatermark, oldest.getKey());
    }

    @Override
    public List<AbortedTransaction> abortedTransactions(long from, long upperBound) {
        ConcurrentNavigableMap<Long, AbortedTransaction> candidates = aborted.tailMap(from, true);
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<AbortedTransaction> result = new ArrayList<>();
        for (AbortedTransaction txn : candidates.values()) {
            if (txn.firstOffset() < upperBound) {
                result.add(txn);
            }
        }
        result.sort((a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
        return result;
    }

    @Override
    public Map<Long, Long> openTransactions() {
        Map<Long, Long> byProducer = new HashMap<>();
        open.forEach((first, producer) -> byProducer.put(producer, first));
        return Collections.unmodifiableMap(byProducer);
    }
}
