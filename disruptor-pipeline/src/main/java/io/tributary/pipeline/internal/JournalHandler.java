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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Second stage: writes each event's batches to its partition and, at the end of every ring batch,
 * fsyncs each {@link FlushPolicy#SYNC} partition it wrote to, once (group commit: appends that
 * queued up during one fsync share the next). Consecutive events of one partition are written
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
 *   <li>an fsync throws: every event of that partition in the ring batch fails, duplicates of
 *       batches written in it included, and the partition is <em>fenced</em> (below).</li>
 * </ul>
 *
 * <p>Fencing. After a failed fsync the bytes stay in the log, but nothing says they are on the
 * device: the kernel may have dropped the dirty pages whose writeback failed, and a later fsync
 * that succeeds says nothing about them. Letting the partition go on would move the high
 * watermark over them with the next append, exposing records whose producers were told they
 * failed, and would answer an idempotent retry of such a batch as a duplicate at offsets that
 * were never forced. So, as Kafka takes a log directory offline, this stage closes the
 * partition's {@link PartitionFence}: one ERROR line names the partition, the offsets and the
 * exception, and from then on every append to the partition fails with STORAGE_ERROR and a
 * message saying it is offline since the failed fsync, here for events numbered before the fence
 * closed and in the sequence stage for all later ones, without logging. Other partitions go on.
 * The high watermark stays below the failed bytes until a broker restart, whose recovery
 * re-validates the tail from disk. A failed write whose cut-back also failed (the log reports it
 * as an exception suppressed by the write's) fences the partition the same way, as the bytes past
 * the log end may then be anything.
 */
final class JournalHandler implements EventHandler<IngestEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(JournalHandler.class);

    /** Largest run of small appends gathered into one write. */
    static final int RUN_CAPACITY = 1 << 20;

    private final Queue<PartitionLog> resyncRequests;
    private final StageProgress progress;
    private final AppendRun run = new AppendRun(RUN_CAPACITY);
    /** SYNC partitions written in the current ring batch, with their fences. */
    private final Map<PartitionLog, PartitionFence> toFlush = new IdentityHashMap<>();
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

    /** An event the sequence stage did not fail: fenced, a duplicate to confirm, or bytes to write. */
    private void journal(IngestEvent event) {
        if (event.fence.isClosed()) {
            event.fail(AppendError.STORAGE_ERROR, event.fence.reason());
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
     * on a SYNC partition, forced: one written in this ring batch waits for this batch's fsync.
     */
    private void checkDuplicate(IngestEvent event) {
        writeRun();
        PartitionLog partition = event.partition;
        if (event.lastOffset >= partition.logEndOffset()) {
            event.fail(AppendError.STORAGE_ERROR, "the original of this retried batch was not written");
        } else if (partition.config().flushPolicy() == FlushPolicy.SYNC) {
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
     * resyncs, or, if the log could not cut the failed write back, the partition is fenced.
     */
    private void writeRun() {
        if (run.isEmpty()) {
            return;
        }
        PartitionLog partition = run.partition();
        List<IngestEvent> events = run.events();
        try {
            partition.append(run.bytes());
            if (partition.config().flushPolicy() == FlushPolicy.SYNC) {
                toFlush.put(partition, events.get(0).fence);
                awaitingFlush.addAll(events);
            }
        } catch (IOException | RuntimeException e) {
            long first = events.get(0).baseOffset;
            long last = events.get(events.size() - 1).lastOffset;
            if (e instanceof IOException && e.getSuppressed().length > 0) {
                fence(events.get(0).fence, partition, "write and cut-back", first, last, e);
            } else {
                LOG.error("Append to {}-{} at offset {} failed: {}", partition.topic(), partition.partition(),
                        first, e.toString());
                resyncRequests.add(partition);
            }
            for (IngestEvent event : events) {
                event.fail(AppendError.STORAGE_ERROR, "write failed: " + e);
            }
        } finally {
            run.clear();
        }
    }

    private void flushTouched() {
        if (toFlush.isEmpty()) {
            return;
        }
        for (Map.Entry<PartitionLog, PartitionFence> touched : toFlush.entrySet()) {
            PartitionLog partition = touched.getKey();
            try {
                partition.flush();
            } catch (IOException | RuntimeException e) {
                failAwaiting(partition, touched.getValue(), e);
            }
        }
        toFlush.clear();
        awaitingFlush.clear();
    }

    /** Fails the events of {@code partition} written (or confirmed) in this ring batch, and fences it. */
    private void failAwaiting(PartitionLog partition, PartitionFence fence, Exception cause) {
        long first = Long.MAX_VALUE;
        long last = -1L;
        String message = "fsync failed: " + cause;
        for (IngestEvent event : awaitingFlush) {
            if (event.partition == partition) {
                event.fail(AppendError.STORAGE_ERROR, message);
                if (!event.duplicate) {
                    first = Math.min(first, event.baseOffset);
                    last = Math.max(last, event.lastOffset);
                }
            }
        }
        fence(fence, partition, "fsync", first, last, cause);
    }

    /** Closes {@code fence} and says so in the one ERROR line of the incident. */
    private static void fence(PartitionFence fence, PartitionLog partition, String operation, long first, long last,
                              Exception cause) {
        String name = partition.topic() + "-" + partition.partition();
        boolean closedNow = fence.close("partition " + name + " is offline since a failed " + operation
                + " at offset " + first + "; a broker restart recovers it (recovery re-validates the tail from disk)");
        LOG.error("The {} of {} at offsets {}-{} failed; {}", operation, name, first, last,
                closedNow ? "the partition is offline until a broker restart" : "the partition was already offline",
                cause);
    }
}
