package io.tributary.pipeline.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.tributary.log.FlushPolicy;
import io.tributary.log.LogOfflineException;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.Durability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;

/**
 * Second stage: writes each event's batches to its partition and, at the end of every ring batch,
 * fsyncs each {@link FlushPolicy#SYNC} partition it wrote to, and each partition that got an append
 * offered with {@link Durability#FSYNC}, once (group commit: appends that queued up during one fsync
 * share the next). It forces only the data files ({@link PartitionLog#forceData()}): the indexes are
 * derived data, rebuilt by recovery, and the log forces them when it checkpoints its recovery point.
 * Consecutive events of one partition are written
 * with one call ({@link AppendRun}). The commit stage sees the events only after this, so the high
 * watermark only ever covers bytes that were written and, for SYNC partitions, forced.
 *
 * <p>Failures, each answered with {@link AppendError#STORAGE_ERROR}:
 * <ul>
 *   <li>a write throws: every event of that write fails, the log has cut itself back to its last
 *       whole batch, and the sequence stage is asked to continue the partition from there
 *       ({@link #resyncRequests}); one log line;</li>
 *   <li>an event numbered past the log's end (an earlier write of its partition failed after the
 *       sequence stage had numbered it) is not written;</li>
 *   <li>a duplicate whose original was not written after all;</li>
 *   <li>the partition is offline (below).</li>
 * </ul>
 *
 * <p>Offline partitions. The log takes a partition offline for good when a flush of it fails (this
 * stage's fsync, or the log's background flusher of a {@link FlushPolicy#ASYNC} topic) or a failed
 * write cannot be cut back, logs that once, and from then on refuses appends and flushes with
 * {@link LogOfflineException} ({@link PartitionLog#offlineReason()} says why). After a failed fsync
 * the bytes stay in the log but nothing says they are on the device; letting the partition go on
 * would move the high watermark over them with the next append, exposing records whose producers
 * were told they failed, and would answer an idempotent retry of such a batch as a duplicate at
 * offsets that were never forced. So when this stage's fsync throws it, every event of that
 * partition in the ring batch fails, duplicates confirmed from it included; when a write throws it,
 * the write's events fail and no resync is asked for; and an event of an offline partition fails
 * before it is written or confirmed, here for events numbered before the partition went offline
 * and in the sequence stage for the later ones. None of this logs (the log said it once), and
 * other partitions go on. The high watermark stays below the failed bytes until a broker restart,
 * whose recovery re-validates the tail from disk. An fsync failing with any other exception (from
 * a log that does not go offline) fails that partition's events of the ring batch and is logged.
 */
final class JournalHandler implements EventHandler<IngestEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(JournalHandler.class);

    /** Largest run of small appends gathered into one write. */
    static final int RUN_CAPACITY = 1 << 20;

    private final Queue<PartitionLog> resyncRequests;
    private final StageProgress progress;
    private final AppendRun run = new AppendRun(RUN_CAPACITY);
    /** SYNC partitions, and partitions of FSYNC appends, written in the current ring batch. */
    private final Set<PartitionLog> toFlush = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * Events written to SYNC partitions in the current ring batch, and duplicates answered from
     * them, to fail them if their fsync fails.
     */
    private final List<IngestEvent> awaitingFlush = new ArrayList<>();

    JournalHandler(Queue<PartitionLog> resyncRequests, StageProgress progress) {
        this.resyncRequests = resyncRequests;
        this.progress = progress;
    }

    @Override
    public void setSequenceCallback(Sequence sequence) {
        progress.bind(sequence);
    }

    @Override
    public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
        if (!event.failed()) {
            journal(event);
        }
        if (endOfBatch) {
            writeRun();
            flushTouched();
            progress.completed(sequence);
        }
    }

    /** An event the sequence stage did not fail: its partition offline, a duplicate to confirm, or bytes to write. */
    private void journal(IngestEvent event) {
        Optional<String> offline = event.partition.offlineReason();
        if (offline.isPresent()) {
            event.fail(AppendError.STORAGE_ERROR, offline.get());
        } else if (event.duplicate) {
            checkDuplicate(event);
        } else if (run.canExtend(event)) {
            run.extend(event);
        } else {
            writeRun();
            startRun(event);
        }
    }

    /**
     * A duplicate is answered with its original's offsets only if the original is in the log and,
     * on a SYNC partition (or for an FSYNC append), forced: one written in this ring batch waits for this batch's fsync.
     */
    private void checkDuplicate(IngestEvent event) {
        writeRun();
        PartitionLog partition = event.partition;
        if (event.lastOffset >= partition.logEndOffset()) {
            event.fail(AppendError.STORAGE_ERROR, "the original of this retried batch was not written");
        } else if (partition.config().flushPolicy() == FlushPolicy.SYNC) {
            awaitingFlush.add(event);
        } else if (event.durability == Durability.FSYNC) {
            // the original may have been acknowledged without an fsync: force it before answering
            toFlush.add(partition);
            awaitingFlush.add(event);
        }
    }

    private void startRun(IngestEvent event) {
        long end = event.partition.logEndOffset();
        if (event.baseOffset != end) {
            event.fail(AppendError.STORAGE_ERROR, "an earlier write to the partition failed (offset "
                    + event.baseOffset + ", log end " + end + ")");
            return;
        }
        run.start(event);
        if (event.batches.remaining() >= run.capacity()) {
            writeRun();
        }
    }

    /**
     * Appends the gathered events in one call. On failure all of them fail and the sequence stage
     * resyncs, unless the partition is offline (then it takes no more appends).
     */
    private void writeRun() {
        if (run.isEmpty()) {
            return;
        }
        PartitionLog partition = run.partition();
        List<IngestEvent> events = run.events();
        try {
            partition.append(run.bytes());
            if (forced(partition, events)) {
                toFlush.add(partition);
                awaitingFlush.addAll(events);
            }
        } catch (LogOfflineException e) {
            failAll(events, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("Append to {}-{} at offset {} failed: {}", partition.topic(), partition.partition(),
                    events.get(0).baseOffset, e.toString());
            failAll(events, "write failed: " + e);
            resyncRequests.add(partition);
        } finally {
            run.clear();
        }
    }

    private static boolean forced(PartitionLog partition, List<IngestEvent> events) {
        if (partition.config().flushPolicy() == FlushPolicy.SYNC) {
            return true;
        }
        for (IngestEvent event : events) {
            if (event.durability == Durability.FSYNC) {
                return true;
            }
        }
        return false;
    }

    private static void failAll(List<IngestEvent> events, String message) {
        for (IngestEvent event : events) {
            event.fail(AppendError.STORAGE_ERROR, message);
        }
    }

    private void flushTouched() {
        if (toFlush.isEmpty()) {
            return;
        }
        for (PartitionLog partition : toFlush) {
            try {
                partition.forceData();
            } catch (LogOfflineException e) {
                failAwaiting(partition, e.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.error("Fsync of {}-{} failed: {}", partition.topic(), partition.partition(), e.toString());
                failAwaiting(partition, "fsync failed: " + e);
            }
        }
        toFlush.clear();
        awaitingFlush.clear();
    }

    /** Fails the events of {@code partition} written (or confirmed) in this ring batch. */
    private void failAwaiting(PartitionLog partition, String message) {
        for (IngestEvent event : awaitingFlush) {
            if (event.partition == partition) {
                event.fail(AppendError.STORAGE_ERROR, message);
            }
        }
    }
}
