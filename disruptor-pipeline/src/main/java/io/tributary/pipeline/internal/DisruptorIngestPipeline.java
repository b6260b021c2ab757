package io.tributary.pipeline.internal;

import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AppendCallback;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.CommitListener;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.MarkerType;
import io.tributary.pipeline.TransactionView;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.PipelineConfig;
import io.tributary.pipeline.ProducerIdAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link IngestPipeline} over one multi-producer Disruptor ring with a {@link StageWaitStrategy} (a
 * stage parks while it has nothing to do, whether the ring is empty or the stage before it is busy)
 * and three chained stages, each on its own thread:
 * {@link SequenceHandler} then {@link JournalHandler} then {@link CommitHandler}.
 *
 * <p>{@link #offer} validates on the caller's thread ({@link BatchValidator}), then claims a slot
 * with {@code tryNext}: a full ring is {@link OfferResult#BACK_PRESSURED}, never a wait.
 */
public final class DisruptorIngestPipeline implements IngestPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(DisruptorIngestPipeline.class);
    private static final String[] STAGE_NAMES = {"sequence", "journal", "commit"};
    private static final long DRAIN_POLL_NANOS = 200_000L;
    private static final long SNAPSHOT_WAIT_SECONDS = 60L;

    private final Disruptor<IngestEvent> disruptor;
    private final CommitHandler lastStage;
    private final RingBuffer<IngestEvent> ring;
    private final List<CommitListener> listeners;
    private final ProducerIdAllocator producerIds;
    private final java.time.Clock clock;
    private final Queue<PartitionLog> deletedPartitions;
    private final SequenceHandler sequencer;
    private final ProducerSnapshotFiles snapshots;
    private final Map<PartitionLog, PartitionTransactions> transactions;
    /** Offers between their closed check and their publish; close() waits for them to finish. */
    private final AtomicInteger offersInProgress = new AtomicInteger();
    private volatile boolean closed;

    private DisruptorIngestPipeline(Disruptor<IngestEvent> disruptor, CommitHandler lastStage,
                                    List<CommitListener> listeners, ProducerIdAllocator producerIds,
                                    java.time.Clock clock, Queue<PartitionLog> deletedPartitions,
                                    SequenceHandler sequencer, ProducerSnapshotFiles snapshots,
                                    Map<PartitionLog, PartitionTransactions> transactions) {
        this.transactions = transactions;
        this.clock = clock;
        this.sequencer = sequencer;
        this.snapshots = snapshots;
        this.deletedPartitions = deletedPartitions;
        this.disruptor = disruptor;
        this.lastStage = lastStage;
        this.listeners = listeners;
        this.producerIds = producerIds;
        this.ring = disruptor.start();
    }

    /**
     * Rebuilds producer state of every partition in {@code log} (from its snapshot where one can be
     * trusted, see {@link ProducerStateLoader}), deletes the snapshots of partitions that no longer
     * exist, logs one line with what it loaded and how long it took, then starts the stage threads.
     *
     * @throws UncheckedIOException if producer state or the producer-id block cannot be read
     */
    public static IngestPipeline start(LogManager log, PipelineConfig config) {
        Queue<PartitionLog> resyncRequests = new ConcurrentLinkedQueue<>();
        Queue<PartitionLog> deletedPartitions = new ConcurrentLinkedQueue<>();
        StageWaitStrategy waitStrategy = new StageWaitStrategy();
        ProducerSnapshotFiles snapshots = new ProducerSnapshotFiles(config.stateDir());
        Map<PartitionLog, PartitionTransactions> transactions = new ConcurrentHashMap<>();
        SequenceHandler sequencer = new SequenceHandler(config.clock(), config.producerIdExpirationMs(), resyncRequests,
                deletedPartitions, new StageProgress(waitStrategy), snapshots, transactions);
        ProducerIdAllocator producerIds;
        try {
            loadProducerState(log, sequencer, snapshots);
            producerIds = FileProducerIdAllocator.open(config.stateDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ingest pipeline", e);
        }
        List<CommitListener> listeners = new CopyOnWriteArrayList<>();
        Disruptor<IngestEvent> disruptor = new Disruptor<>(IngestEvent::new, config.ringSize(), stageThreads(),
                ProducerType.MULTI, waitStrategy);
        disruptor.setDefaultExceptionHandler(new FailEventOnException());
        CommitHandler committer = new CommitHandler(listeners);
        disruptor.handleEventsWith(sequencer)
                .then(new JournalHandler(resyncRequests, new StageProgress(waitStrategy)))
                .then(committer);
        return new DisruptorIngestPipeline(disruptor, committer, listeners, producerIds, config.clock(),
                deletedPartitions, sequencer, snapshots, transactions);
    }

    private static void loadProducerState(LogManager log, SequenceHandler sequencer, ProducerSnapshotFiles snapshots)
            throws IOException {
        long started = System.nanoTime();
        Set<Path> live = new HashSet<>();
        for (Topic topic : log.topics()) {
            for (int p = 0; p < topic.partitionCount(); p++) {
                PartitionLog partition = topic.partition(p);
                sequencer.load(partition);
                live.add(snapshots.fileOf(partition.topic(), partition.partition()));
            }
        }
        int stale = snapshots.deleteAllBut(live);
        ProducerStateLoader loads = sequencer.loader();
        LOG.info("Loaded producer state of {} partition(s) in {} ms: {} from snapshots, {} scanned from the log start,"
                        + " {} batch headers read; {} stale snapshot file(s) deleted",
                loads.partitionsFromSnapshot() + loads.partitionsScanned(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), loads.partitionsFromSnapshot(),
                loads.partitionsScanned(), loads.batchesRead(), stale);
    }

    /**
     * Whether the sequence stage has numbered every event published so far; for tests that queue appends behind a
     * write held in the journal and need them numbered before they let it go.
     */
    boolean sequencedAllPublished() {
        return disruptor.getSequenceValueFor(sequencer) >= ring.getCursor();
    }

    /** What loading the producer state did at start; for tests, read it before any offer. */
    ProducerStateLoader producerStateLoads() {
        return sequencer.loader();
    }

    @Override
    public OfferResult offer(PartitionLog partition, ByteBuffer batches, Durability durability,
                             AppendCallback callback) {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(batches, "batches");
        Objects.requireNonNull(callback, "callback");
        offersInProgress.incrementAndGet();
        try {
            if (closed) {
                return OfferResult.CLOSED;
            }
            if (!ring.hasAvailableCapacity(1)) {
                return OfferResult.BACK_PRESSURED;
            }
            AppendResult invalid = BatchValidator.validate(batches, partition.config(), clock.millis());
            if (invalid != null) {
                callback.onComplete(invalid);
                return OfferResult.ACCEPTED;
            }
            long sequence;
            try {
                sequence = ring.tryNext();
            } catch (InsufficientCapacityException e) {
                return OfferResult.BACK_PRESSURED;
            }
            ring.get(sequence).set(partition, batches, durability, callback);
            ring.publish(sequence);
            return OfferResult.ACCEPTED;
        } finally {
            offersInProgress.decrementAndGet();
        }
    }

    /**
     * {@inheritDoc} The marker skips the producer-batch validation (which refuses control batches)
     * and takes a ring slot like any offer.
     */
    @Override
    public OfferResult offerMarker(PartitionLog partition, long producerId, short producerEpoch, MarkerType type,
                                   int coordinatorEpoch, Durability durability, AppendCallback callback) {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(callback, "callback");
        offersInProgress.incrementAndGet();
        try {
            if (closed) {
                return OfferResult.CLOSED;
            }
            long sequence;
            try {
                sequence = ring.tryNext();
            } catch (InsufficientCapacityException e) {
                return OfferResult.BACK_PRESSURED;
            }
            IngestEvent event = ring.get(sequence);
            event.set(partition, ControlBatch.build(producerId, producerEpoch, type, coordinatorEpoch, clock.millis()),
                    durability, callback);
            event.marker = true;
            ring.publish(sequence);
            return OfferResult.ACCEPTED;
        } finally {
            offersInProgress.decrementAndGet();
        }
    }

    @Override
    public TransactionView transactions(PartitionLog partition) {
        return transactions.computeIfAbsent(partition, PartitionTransactions::new);
    }

    @Override
    public void addCommitListener(CommitListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * {@inheritDoc} The sequence stage drops the state before it sequences its next event (or when
     * the pipeline closes); the partition's producer-state snapshot is deleted here and then again by
     * that stage. A snapshot that still survives (the pipeline was closing concurrently) is deleted
     * by the next start, as the partition no longer exists then.
     */
    @Override
    public void partitionDeleted(PartitionLog partition) {
        deletedPartitions.add(Objects.requireNonNull(partition, "partition"));
        try {
            snapshots.delete(partition.topic(), partition.partition());
        } catch (IOException e) {
            LOG.warn("Cannot delete the producer-state snapshot of deleted {}-{}: {}", partition.topic(),
                    partition.partition(), e.toString());
        }
    }

    @Override
    public ProducerIdAllocator producerIds() {
        return producerIds;
    }

    /**
     * Stops accepting, waits until every published event went through all three stages, stops the
     * threads, and waits (up to {@value #SNAPSHOT_WAIT_SECONDS} s) for the sequence stage to write
     * the producer-state snapshots as it stops. Waits on the commit stage's own sequence rather than
     * {@code Disruptor.shutdown()}, which skips stages whose thread has not started running yet and
     * could drop their events. Close the log after this, so that it is flushed with the snapshots
     * describing it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (offersInProgress.get() != 0) {
            Thread.onSpinWait();
        }
        long lastPublished = ring.getCursor();
        while (disruptor.getSequenceValueFor(lastStage) < lastPublished) {
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
        }
        disruptor.halt();
        try {
            if (!sequencer.awaitSnapshots(SNAPSHOT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("The sequence stage did not finish its producer-state snapshots within {} s",
                        SNAPSHOT_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while the sequence stage wrote its producer-state snapshots");
        }
    }

    private static ThreadFactory stageThreads() {
        AtomicInteger created = new AtomicInteger();
        return runnable -> {
            int index = created.getAndIncrement();
            String stage = index < STAGE_NAMES.length ? STAGE_NAMES[index] : Integer.toString(index);
            Thread thread = new Thread(runnable, "tributary-ingest-" + stage);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A stage threw unexpectedly: fail that event so its callback still runs once, and keep going. */
    private static final class FailEventOnException implements ExceptionHandler<IngestEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, IngestEvent event) {
            LOG.error("Ingest stage failed on event {}", sequence, ex);
            if (event != null && !event.failed()) {
                event.fail(AppendError.STORAGE_ERROR, "internal error: " + ex);
            }
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.error("Ingest stage failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.error("Ingest stage failed to stop", ex);
        }
    }
}
