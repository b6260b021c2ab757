package io.tributary.delivery.group.store;

import io.tributary.delivery.group.GroupRecord;
import io.tributary.delivery.group.StoreUnavailableException;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The one path by which group records reach {@code __consumer_offsets}, and the copy-forward
 * cleaner that keeps that partition bounded without log compaction.
 *
 * <p>Every write is one batch offered to the ingest pipeline. As appends complete (on the commit
 * thread, in offset order) their records are applied to the {@link LiveRecords}, and the bytes
 * appended since the log start are counted. When those bytes reach the segment size and the live
 * records are at most half of them, a cleaning runs:
 * <ol>
 *   <li><b>gate</b>: new writes are held in a queue, not offered;</li>
 *   <li><b>drain</b>: once every write offered before has completed, the live records are exactly
 *       the last-wins state of the partition up to its end, offset {@code cut};</li>
 *   <li><b>copy</b> (background thread): the live records are offered again, oldest last write
 *       first, in batches; the first lands at {@code cut}. Then the gate opens and the held
 *       writes are offered in their order, behind the copy;</li>
 *   <li><b>trim</b> (background thread, once every copy batch is committed): the partition is
 *       fsynced, then {@link PartitionLog#deleteRecordsBefore}{@code (cut)} moves the log start
 *       past the old records, durably; retention deletes the segments wholly below it.</li>
 * </ol>
 *
 * <p><b>Why replay gives the same state whenever the process stops.</b> Replay applies records
 * oldest first and the last record per key wins ({@code GroupRemoved} also drops the group's
 * earlier records, which {@link LiveRecords} mirrors). Call {@code L} the records below
 * {@code cut}. Because of the gate and the drain, nothing else was appended between {@code L} and
 * the copy, and the copy is {@code live(L)}: applying it after {@code L} changes nothing, and
 * applying it alone gives the same groups as applying {@code L}. Any record written after the
 * drain point (a commit that raced with the cleaning) was held by the gate, so it lands after the
 * whole copy and wins over the copied value of its key, in the full log and in the suffix alike.
 * So, at each point where the process can stop:
 * <ul>
 *   <li>before or during the copy: the log is {@code L}, a prefix of the copy, maybe later
 *       writes; a copied record repeats the value its key already had at that place, so replay
 *       is unchanged; the log start has not moved;</li>
 *   <li>after the copy, before the start moves: {@code L}, the whole copy, later writes; same;</li>
 *   <li>after the start moved: the copy and later writes only, which give the same state as
 *       {@code L} followed by them. The start is only moved after the copy is fsynced, so even a
 *       machine crash cannot leave the new start without the copy on disk.</li>
 * </ul>
 * A copy batch that fails or is refused ends the cleaning without moving the start, which is
 * harmless for the same reason; the next attempt waits for another segment's worth of bytes.
 * Writes offered before the first replay are not tracked, so such a store never cleans.
 *
 * <p>Threads: {@link #write} on any thread (coordinator callers, holding a group's monitor); the
 * completions on the pipeline's commit thread; copy and trim on {@code background}. State is
 * guarded by one lock, held only for bookkeeping and non-blocking offers, never across I/O; user
 * futures complete outside it.
 */
final class OffsetsLogWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetsLogWriter.class);
    /** Largest copy batch; the topic's max.message.bytes caps it further. */
    private static final int COPY_BATCH_BYTES = 512 * 1024;

    private final PartitionLog partition;
    private final IngestPipeline pipeline;
    private final LongSupplier clock;
    private final Executor background;
    private final long cleanableBytes;

    private final Object lock = new Object();
    private final ArrayDeque<Pending> held = new ArrayDeque<>();
    private List<Runnable> deferred = new ArrayList<>();
    private LiveRecords live;
    private boolean untracked;
    private boolean replayedUntracked;
    private long bytesSinceStart;
    private int inFlight;
    private boolean gateClosed;
    private boolean copyScheduled;
    private Cleaning cleaning;
    private long nextAttemptBytes;
    private long cleanings;

    OffsetsLogWriter(PartitionLog partition, IngestPipeline pipeline, LongSupplier clock, Executor background,
                     long cleanableBytes) {
        this.partition = partition;
        this.pipeline = pipeline;
        this.clock = clock;
        this.background = background;
        this.cleanableBytes = cleanableBytes;
    }

    /** Offers {@code records} as one batch (held while a cleaning drains); completes once committed. */
    CompletableFuture<Void> write(List<GroupRecord> records) {
        Pending pending = new Pending(records, GroupBatches.encode(records, clock.getAsLong()));
        synchronized (lock) {
            if (live == null) {
                untracked = true;
            }
            if (gateClosed) {
                held.add(pending);
            } else {
                offer(pending);
            }
        }
        runDeferred();
        return pending.done;
    }

    /**
     * Hands over the live records and byte count the first replay found, from the log start up to
     * its end; later writes are tracked from here. Ignored if a write came first.
     */
    void replayed(LiveRecords records, long bytes) {
        synchronized (lock) {
            if (live != null || replayedUntracked) {
                return;
            }
            if (untracked) {
                replayedUntracked = true;
                LOG.warn("{} was written before it was replayed; it will not be cleaned", LogGroupStore.TOPIC);
                return;
            }
            live = records;
            bytesSinceStart = bytes;
            maybeStartCleaning();
        }
        runDeferred();
    }

    /** Bytes appended since the log start as this writer counts them; for tests and metrics. */
    long bytesSinceStart() {
        synchronized (lock) {
            return bytesSinceStart;
        }
    }

    /** Cleanings that moved the log start since open; for tests and metrics. */
    long cleanings() {
        synchronized (lock) {
            return cleanings;
        }
    }

    private void offer(Pending pending) {
        inFlight++;
        OfferResult offered = pipeline.offer(partition, pending.batch, result -> appended(pending, result));
        if (offered != OfferResult.ACCEPTED) {
            inFlight--;
            deferred.add(() -> pending.done.completeExceptionally(
                    new StoreUnavailableException("ingest pipeline " + offered)));
            scheduleCopyIfDrained();
        }
    }

    private void appended(Pending pending, AppendResult result) {
        boolean ok = result.error() == AppendError.NONE;
        synchronized (lock) {
            inFlight--;
            if (ok) {
                bytesSinceStart += pending.bytes;
                if (live != null) {
                    pending.records.forEach(live::apply);
                }
                maybeStartCleaning();
            }
            scheduleCopyIfDrained();
            deferred.add(ok ? () -> pending.done.complete(null) : () -> pending.done.completeExceptionally(
                    new StoreUnavailableException("append to " + LogGroupStore.TOPIC + " failed: " + result.error()
                            + " " + result.message())));
        }
        runDeferred();
    }

    private void maybeStartCleaning() {
        if (live == null || cleaning != null || bytesSinceStart < Math.max(cleanableBytes, nextAttemptBytes)
                || live.bytes() * 2 > bytesSinceStart) {
            return;
        }
        cleaning = new Cleaning();
        gateClosed = true;
        scheduleCopyIfDrained();
    }

    private void scheduleCopyIfDrained() {
        if (gateClosed && inFlight == 0 && !copyScheduled) {
            copyScheduled = true;
            background.execute(this::copy);
        }
    }

    /** Step 3: offers the live records behind everything committed, then opens the gate. */
    private void copy() {
        Cleaning c;
        List<GroupRecord> snapshot;
        synchronized (lock) {
            c = cleaning;
            c.cutBytes = bytesSinceStart;
            snapshot = live.snapshot();
            c.records = snapshot.size();
        }
        // Encoded outside the lock: with the gate closed and nothing in flight, nothing changes meanwhile.
        int maxBatch = Math.max(1024, Math.min(COPY_BATCH_BYTES, partition.config().maxMessageBytes()));
        List<ByteBuffer> batches = GroupBatches.encode(snapshot, clock.getAsLong(), maxBatch);
        synchronized (lock) {
            copyScheduled = false;
            if (batches.isEmpty()) {
                c.cut = partition.highWatermark();
                background.execute(() -> trim(c));
            }
            c.batchesLeft = batches.size();
            for (int i = 0; i < batches.size(); i++) {
                boolean first = i == 0;
                int bytes = batches.get(i).remaining();
                OfferResult offered = pipeline.offer(partition, batches.get(i), result -> copied(c, first, bytes, result));
                if (offered != OfferResult.ACCEPTED) {
                    LOG.warn("Cleaning of {} abandoned: copy batch {} of {} not accepted ({})", LogGroupStore.TOPIC,
                            i + 1, batches.size(), offered);
                    c.failed = true;
                    c.batchesLeft -= batches.size() - i;
                    if (c.batchesLeft == 0) {
                        endCleaning();
                    }
                    break;
                }
            }
            gateClosed = false;
            while (!held.isEmpty() && !gateClosed) {
                offer(held.poll());
            }
        }
        runDeferred();
    }

    private void copied(Cleaning c, boolean first, int bytes, AppendResult result) {
        synchronized (lock) {
            if (result.error() == AppendError.NONE) {
                bytesSinceStart += bytes;
                if (first) {
                    c.cut = result.baseOffset();
                }
            } else if (!c.failed) {
                LOG.warn("Cleaning of {} abandoned: a copy batch failed: {} {}", LogGroupStore.TOPIC, result.error(),
                        result.message());
                c.failed = true;
            }
            if (--c.batchesLeft == 0) {
                if (c.failed) {
                    endCleaning();
                } else {
                    background.execute(() -> trim(c));
                }
            }
        }
    }

    /**
     * Step 4: makes the copy durable, then moves the log start to it. Writes went on meanwhile, so
     * the next cleaning may be due at once.
     */
    private void trim(Cleaning c) {
        long start = -1;
        try {
            partition.flush();
            start = partition.deleteRecordsBefore(c.cut);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cleaning of {} could not move the log start to {}", LogGroupStore.TOPIC, c.cut, e);
        }
        synchronized (lock) {
            if (partition.logStartOffset() >= c.cut) {
                bytesSinceStart -= c.cutBytes;
                cleanings++;
                cleaning = null;
                nextAttemptBytes = 0;
                maybeStartCleaning();
            } else {
                endCleaning();
            }
        }
        if (start >= c.cut) {
            LOG.info("Cleaned {}: {} live records copied forward, log start offset now {}, {} bytes behind it",
                    LogGroupStore.TOPIC, c.records, start, c.cutBytes);
        }
    }

    /** Ends a cleaning that did not move the start; the next waits for another segment's worth of bytes. */
    private void endCleaning() {
        cleaning = null;
        nextAttemptBytes = bytesSinceStart + cleanableBytes;
    }

    /** Completes user futures outside the lock; a no-op on a thread inside it (a synchronous callback of an offer). */
    private void runDeferred() {
        if (Thread.holdsLock(lock)) {
            return;
        }
        List<Runnable> run;
        synchronized (lock) {
            if (deferred.isEmpty()) {
                return;
            }
            run = deferred;
            deferred = new ArrayList<>();
        }
        run.forEach(Runnable::run);
    }

    /** A write and its future; {@code bytes} is taken before the pipeline rewrites the batch. */
    private static final class Pending {
        final List<GroupRecord> records;
        final ByteBuffer batch;
        final int bytes;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Pending(List<GroupRecord> records, ByteBuffer batch) {
            this.records = records;
            this.batch = batch;
            this.bytes = batch.remaining();
        }
    }

    /** One cleaning in progress. Guarded by the writer's lock. */
    private static final class Cleaning {
        long cutBytes;
        long cut = -1;
        int records;
        int batchesLeft;
        boolean failed;
    }
}
