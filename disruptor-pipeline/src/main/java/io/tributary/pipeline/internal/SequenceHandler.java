package io.tributary.pipeline.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.TimestampType;
import io.tributary.pipeline.AppendError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * First stage: the single owner of each partition's next offset and idempotent-producer state.
 *
 * <p>Per event: checks an idempotent batch against {@link ProducerStateTable} (a duplicate is
 * answered with its original offsets and not written), assigns offsets by rewriting each batch's
 * base offset, stamps the broker time on LogAppendTime topics, and records the batch for later
 * duplicate detection. An event of an offline partition ({@link PartitionLog#offlineReason()}: a
 * flush or cut-back of it failed, in the journal or in the log's background flusher) fails at once
 * with the partition's reason and without logging, before any of that. Before each event this stage applies
 * any resync the journal asked for after a failed write ({@link #resyncRequests}) and drops the
 * state of deleted partitions ({@link #deletedPartitions}); every {@link #expiryCheckIntervalMs}
 * it drops producers idle longer than {@code producer.id.expiration.ms}.
 *
 * <p>A partition's state is loaded by {@link ProducerStateLoader} (from its snapshot when it can
 * be trusted). When the ring stops ({@link #onShutdown()}, after every event went through all
 * stages), this stage writes each partition's {@link ProducerStateSnapshot} for the next start,
 * then releases {@link #awaitSnapshots}.
 *
 * <p>The journal writes batches in exactly the order this stage numbered them, so offsets handed
 * out here are contiguous in the log unless a write fails.
 */
final class SequenceHandler implements EventHandler<IngestEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(SequenceHandler.class);
    private static final long MAX_EXPIRY_CHECK_INTERVAL_MS = 60_000L;

    private final Clock clock;
    private final long expirationMs;
    private final long expiryCheckIntervalMs;
    private final Queue<PartitionLog> resyncRequests;
    private final Queue<PartitionLog> deletedPartitions;
    private final StageProgress progress;
    private final ProducerStateLoader loader;
    private final ProducerSnapshotFiles snapshots;
    private final CountDownLatch snapshotsWritten = new CountDownLatch(1);
    private final Map<PartitionLog, PartitionState> partitions = new IdentityHashMap<>();
    private final RecordBatchHeader header = new RecordBatchHeader();
    private final Map<PartitionLog, PartitionTransactions> transactions;
    private long nextExpiryCheckMs;

    SequenceHandler(Clock clock, long expirationMs, Queue<PartitionLog> resyncRequests,
                    Queue<PartitionLog> deletedPartitions, StageProgress progress, ProducerSnapshotFiles snapshots) {
        this(clock, expirationMs, resyncRequests, deletedPartitions, progress, snapshots,
                new java.util.concurrent.ConcurrentHashMap<>());
    }

    SequenceHandler(Clock clock, long expirationMs, Queue<PartitionLog> resyncRequests,
                    Queue<PartitionLog> deletedPartitions, StageProgress progress, ProducerSnapshotFiles snapshots,
                    Map<PartitionLog, PartitionTransactions> transactions) {
        this.transactions = transactions;
        this.progress = progress;
        this.snapshots = snapshots;
        this.loader = new ProducerStateLoader(snapshots);
        this.deletedPartitions = deletedPartitions;
        this.clock = clock;
        this.expirationMs = expirationMs;
        this.expiryCheckIntervalMs = Math.max(1L, Math.min(expirationMs, MAX_EXPIRY_CHECK_INTERVAL_MS));
        this.resyncRequests = resyncRequests;
        this.nextExpiryCheckMs = clock.millis() + expiryCheckIntervalMs;
    }

    /**
     * Rebuilds {@code partition}'s state from its snapshot and the batches after it, or from all its
     * stored batches; called before the ring starts, and on this stage's thread for a partition it
     * meets for the first time.
     */
    void load(PartitionLog partition) throws IOException {
        long now = clock.millis();
        ProducerStateSnapshot loaded = loader.load(partition, now);
        // producers restored from a snapshot may have gone idle for good while the broker was down
        loaded.producers().expire(now, expirationMs);
        partitions.put(partition, new PartitionState(loaded));
        transactions.put(partition, TransactionStateLoader.load(partition));
    }

    /** What the loads so far did; read it only while no load can run (before the ring starts). */
    ProducerStateLoader loader() {
        return loader;
    }

    /**
     * Writes the snapshots of the partitions whose state matches their log (all, unless a write
     * failed at the very end or a partition went offline): stages are stopped, so the log is as
     * this stage numbered it. Deleted partitions' snapshots are deleted first.
     */
    @Override
    public void onShutdown() {
        try {
            applyResyncs();
            forgetDeletedPartitions();
            writeSnapshots(clock.millis());
        } finally {
            snapshotsWritten.countDown();
        }
    }

    /** Waits until {@link #onShutdown()} finished; false if it did not within the timeout. */
    boolean awaitSnapshots(long timeout, TimeUnit unit) throws InterruptedException {
        return snapshotsWritten.await(timeout, unit);
    }

    @Override
    public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
        long now = clock.millis();
        applyResyncs();
        forgetDeletedPartitions();
        if (now >= nextExpiryCheckMs) {
            expireProducers(now);
        }
        Optional<String> offline = event.partition.offlineReason();
        if (offline.isPresent()) {
            event.fail(AppendError.STORAGE_ERROR, offline.get());
        } else {
            PartitionState state = stateOf(event);
            if (state != null) {
                sequence(event, state, now);
            }
        }
        if (endOfBatch) {
            progress.completed(sequence);
        }
    }

    @Override
    public void setSequenceCallback(Sequence sequence) {
        progress.bind(sequence);
    }

    private void sequence(IngestEvent event, PartitionState state, long now) {
        ByteBuffer batches = event.batches;
        int position = batches.position();
        header.wrap(batches, position);
        PartitionTransactions txns = transactions.computeIfAbsent(event.partition, PartitionTransactions::new);
        if (event.marker) {
            sequenceMarker(event, state, txns);
            return;
        }
        long producerId = header.producerId();
        short epoch = header.producerEpoch();
        boolean transactional = header.isTransactional();
        if (producerId != RecordBatchHeader.NO_PRODUCER_ID && epoch < txns.markerEpoch(producerId)) {
            event.fail(AppendError.INVALID_PRODUCER_EPOCH, "producer " + producerId + " epoch " + epoch
                    + " is fenced by a transaction marker of epoch " + txns.markerEpoch(producerId));
            return;
        }
        int firstSeq = header.baseSequence();
        int lastSeq = ProducerEntry.lastSequence(firstSeq, header.lastOffsetDelta());
        boolean logAppendTime = event.partition.config().timestampType() == TimestampType.LOG_APPEND_TIME;
        boolean idempotent = producerId != RecordBatchHeader.NO_PRODUCER_ID;
        if (idempotent && answeredByProducerState(event, state.producers, producerId, epoch, firstSeq, lastSeq,
                logAppendTime, now)) {
            return;
        }
        long next = state.nextOffset;
        event.baseOffset = next;
        while (position < batches.limit()) {
            header.wrap(batches, position);
            header.baseOffset(next);
            if (logAppendTime) {
                header.stampLogAppendTime(now);
            }
            next += header.lastOffsetDelta() + 1L;
            position += header.sizeInBytes();
        }
        event.lastOffset = next - 1;
        event.logAppendTime = logAppendTime ? now : -1L;
        state.nextOffset = next;
        state.lastBatchBase = header.baseOffset();
        state.lastBatchCrc = (int) header.crc();
        if (idempotent) {
            // an idempotent batch comes alone (BatchValidator), so header still points at it
            state.producers.record(producerId, epoch, firstSeq, lastSeq, event.baseOffset, event.lastOffset,
                    header.maxTimestamp(), now);
        }
        if (transactional) {
            txns.open(producerId, event.baseOffset);
        }
    }

    /**
     * A transaction marker: refused if an append of a newer epoch of its producer was already
     * numbered, else given the next offset; the transaction it ends is closed here and, once the
     * marker is in the log, in what readers see (the commit stage).
     */
    private void sequenceMarker(IngestEvent event, PartitionState state, PartitionTransactions txns) {
        long producerId = header.producerId();
        short epoch = header.producerEpoch();
        ProducerEntry entry = state.producers.get(producerId);
        if ((entry != null && epoch < entry.epoch()) || epoch < txns.markerEpoch(producerId)) {
            event.fail(AppendError.INVALID_PRODUCER_EPOCH, "marker of producer " + producerId + " epoch " + epoch
                    + " is older than its epoch " + Math.max(entry == null ? -1 : entry.epoch(),
                    txns.markerEpoch(producerId)));
            return;
        }
        long offset = state.nextOffset;
        header.baseOffset(offset);
        event.baseOffset = offset;
        event.lastOffset = offset;
        event.logAppendTime = -1L;
        state.nextOffset = offset + 1;
        state.lastBatchBase = offset;
        state.lastBatchCrc = (int) header.crc();
        event.transactions = txns;
        event.txnProducerId = producerId;
        event.txnFirstOffset = txns.closeInSequence(producerId, epoch);
        event.markerType = ControlBatch.typeOf(event.batches, event.batches.position());
    }

    /**
     * True when the idempotent batch needs no write: it is a duplicate (answered with the original
     * offsets) or breaks a sequence rule (failed).
     */
    private boolean answeredByProducerState(IngestEvent event, ProducerStateTable producers, long producerId,
                                            short epoch, int firstSeq, int lastSeq, boolean logAppendTime,
                                            long now) {
        ProducerEntry entry = producers.get(producerId);
        if (entry != null) {
            int slot = entry.findDuplicate(epoch, firstSeq, lastSeq);
            if (slot >= 0) {
                event.duplicate = true;
                event.baseOffset = entry.baseOffset(slot);
                event.lastOffset = entry.lastOffset(slot);
                event.logAppendTime = logAppendTime ? entry.timestamp(slot) : -1L;
                entry.touch(now);
                return true;
            }
        }
        AppendError error = producers.check(entry, epoch, firstSeq);
        if (error == AppendError.NONE) {
            return false;
        }
        event.fail(error, "producer " + producerId + " epoch " + epoch + " sequence " + firstSeq
                + (entry == null ? "" : " after epoch " + entry.epoch() + " sequence " + entry.lastSeq()));
        return true;
    }

    private PartitionState stateOf(IngestEvent event) {
        PartitionLog partition = event.partition;
        PartitionState state = partitions.get(partition);
        if (state == null) {
            try {
                load(partition);
                state = partitions.get(partition);
            } catch (IOException e) {
                LOG.error("Cannot load producer state of {}-{}: {}", partition.topic(), partition.partition(), e.toString());
                event.fail(AppendError.STORAGE_ERROR, "cannot load producer state: " + e);
            }
        }
        return state;
    }

    /**
     * After a failed write the log ends where the write started (or after its last whole batch),
     * while this stage may have numbered later events past it: the journal fails those, and here
     * the partition continues from the log's real end, forgetting producer batches beyond it.
     */
    private void applyResyncs() {
        PartitionLog partition;
        while ((partition = resyncRequests.poll()) != null) {
            PartitionState state = partitions.get(partition);
            if (state != null) {
                long end = partition.logEndOffset();
                LOG.warn("Partition {}-{} continues at offset {} after a failed write (had assigned up to {})",
                        partition.topic(), partition.partition(), end, state.nextOffset);
                state.nextOffset = end;
                state.lastBatchBase = ProducerStateSnapshot.NO_BATCH;
                state.producers.truncateFrom(end);
                PartitionTransactions txns = transactions.get(partition);
                if (txns != null) {
                    txns.truncateFrom(end);
                }
            }
        }
    }

    /**
     * Drops the state of partitions whose topic was deleted. An event for one of them still in
     * the ring after this would load its state again; offers must have stopped before deletion.
     */
    private void forgetDeletedPartitions() {
        PartitionLog partition;
        while ((partition = deletedPartitions.poll()) != null) {
            partitions.remove(partition);
            transactions.remove(partition);
            try {
                snapshots.delete(partition.topic(), partition.partition());
            } catch (IOException e) {
                LOG.warn("Cannot delete the producer-state snapshot of deleted {}-{}: {}", partition.topic(),
                        partition.partition(), e.toString());
            }
        }
    }

    private void writeSnapshots(long now) {
        long started = System.nanoTime();
        int written = 0;
        for (Map.Entry<PartitionLog, PartitionState> e : partitions.entrySet()) {
            PartitionLog partition = e.getKey();
            PartitionState state = e.getValue();
            String skip = whyNoSnapshot(partition, state);
            if (skip != null) {
                LOG.info("No producer-state snapshot of {}-{}: {}; the next start scans it", partition.topic(),
                        partition.partition(), skip);
                continue;
            }
            state.producers.expire(now, expirationMs);
            try {
                snapshots.write(partition.topic(), partition.partition(), new ProducerStateSnapshot(state.nextOffset,
                        state.lastBatchBase, state.lastBatchCrc, state.producers).encode());
                written++;
            } catch (IOException ex) {
                LOG.warn("Cannot write the producer-state snapshot of {}-{}; the next start scans it: {}",
                        partition.topic(), partition.partition(), ex.toString());
            }
        }
        LOG.info("Wrote producer-state snapshots of {} of {} partition(s) in {} ms", written, partitions.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static String whyNoSnapshot(PartitionLog partition, PartitionState state) {
        Optional<String> offline = partition.offlineReason();
        if (offline.isPresent()) {
            return "the partition is offline";
        }
        if (state.nextOffset != partition.logEndOffset()) {
            return "its state ends at offset " + state.nextOffset + " but the log at " + partition.logEndOffset();
        }
        if (state.lastBatchBase == ProducerStateSnapshot.NO_BATCH && state.nextOffset != partition.logStartOffset()) {
            return "the batch ending at its log end is unknown (a write failed, or it starts below the log start)";
        }
        return null;
    }

    private void expireProducers(long now) {
        nextExpiryCheckMs = now + expiryCheckIntervalMs;
        for (PartitionState state : partitions.values()) {
            state.producers.expire(now, expirationMs);
        }
    }

    /** What this stage keeps per partition. */
    private static final class PartitionState {
        long nextOffset;
        final ProducerStateTable producers;
        /** Base offset and stored CRC of the batch ending at {@code nextOffset - 1}, for the snapshot. */
        long lastBatchBase;
        int lastBatchCrc;

        PartitionState(ProducerStateSnapshot loaded) {
            this.nextOffset = loaded.logEndOffset();
            this.producers = loaded.producers();
            this.lastBatchBase = loaded.lastBatchBaseOffset();
            this.lastBatchCrc = loaded.lastBatchCrc();
        }
    }
}
