package io.tributary.pipeline.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.tributary.log.FlushPolicy;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Set;

/**
 * Second stage: writes each event's batches to its partition and, at the end of every ring batch,
 * fsyncs each {@link FlushPolicy#SYNC} partition it wrote to, once (group commit: appends that
 * queued up during one fsync share the next). Consecutive events of one partition are written
 * with one call ({@link AppendRun}). The commit stage sees the events only after this.
 *
 * <p>Failures, each answered with {@link AppendError#STORAGE_ERROR} and one log line:
 * <ul>
 *   <li>a write throws: every event of that write fails, the log has cut itself back to its last
 *       whole batch, and the sequence stage is asked to continue the partition from there
 *       ({@link #resyncRequests});</li>
 *   <li>an event numbered past the log's end (an earlier write of its partition failed after the
 *       sequence stage had numbered it) is not written;</li>
 *   <li>a duplicate whose original was not written after all;</li>
 *   <li>an fsync throws: every event of that partition in the ring batch fails. Their bytes stay in
 *       the log (the offsets remain taken) but the high watermark does not cover them here.</li>
 * </ul>
 */
final class JournalHandler implements EventHandler<IngestEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(JournalHandler.class);

    /** Largest run of small appends gathered into one write. */
    static final int RUN_CAPACITY = 1 << 20;

    private final Queue<PartitionLog> resyncRequests;
    private final StageProgress progress;
    private final AppendRun run = new AppendRun(RUN_CAPACITY);
    private final Set<PartitionLog> toFlush = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Events written to SYNC partitions in the current ring batch, to fail them if their fsync fails. */
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
        if (event.needsWrite()) {
            if (run.canExtend(event)) {
                run.extend(event);
            } else {
                writeRun();
                startRun(event);
            }
        } else {
            writeRun();
            if (event.duplicate && event.lastOffset >= event.partition.logEndOffset()) {
                event.fail(AppendError.STORAGE_ERROR, "the original of this retried batch was not written");
            }
        }
        if (endOfBatch) {
            writeRun();
            flushTouched();
            progress.completed(sequence);
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

    /** Appends the gathered events in one call; on failure all of them fail and the sequence stage resyncs. */
    private void writeRun() {
        if (run.isEmpty()) {
            return;
        }
        PartitionLog partition = run.partition();
        List<IngestEvent> events = run.events();
        try {
            partition.append(run.bytes());
            if (partition.config().flushPolicy() == FlushPolicy.SYNC) {
                toFlush.add(partition);
                awaitingFlush.addAll(events);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Append to {}-{} at offset {} failed: {}", partition.topic(), partition.partition(),
                    events.get(0).baseOffset, e.toString());
            for (IngestEvent event : events) {
                event.fail(AppendError.STORAGE_ERROR, "write failed: " + e);
            }
            resyncRequests.add(partition);
        } finally {
            run.clear();
        }
    }

    private void flushTouched() {
        if (toFlush.isEmpty()) {
            return;
        }
        for (PartitionLog partition : toFlush) {
            try {
                partition.flush();
            } catch (IOException | RuntimeException e) {
                LOG.error("Fsync of {}-{} failed: {}", partition.topic(), partition.partition(), e.toString());
                failAwaiting(partition, "fsync failed: " + e);
            }
        }
        toFlush.clear();
        awaitingFlush.clear();
    }

    private void failAwaiting(PartitionLog partition, String message) {
        for (IngestEvent event : awaitingFlush) {
            if (event.partition == partition) {
                event.fail(AppendError.STORAGE_ERROR, message);
            }
        }
    }
}
