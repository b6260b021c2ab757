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
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.CommitListener;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.PipelineConfig;
import io.tributary.pipeline.ProducerIdAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
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

    private final Disruptor<IngestEvent> disruptor;
    private final CommitHandler lastStage;
    private final RingBuffer<IngestEvent> ring;
    private final List<CommitListener> listeners;
    private final ProducerIdAllocator producerIds;
    private final java.time.Clock clock;
    private final Queue<PartitionLog> deletedPartitions;
    /** Offers between their closed check and their publish; close() waits for them to finish. */
    private final AtomicInteger offersInProgress = new AtomicInteger();
    private volatile boolean closed;

    private DisruptorIngestPipeline(Disruptor<IngestEvent> disruptor, CommitHandler lastStage,
                                    List<CommitListener> listeners, ProducerIdAllocator producerIds,
                                    java.time.Clock clock, Queue<PartitionLog> deletedPartitions) {
        this.clock = clock;
        this.deletedPartitions = deletedPartitions;
        this.disruptor = disruptor;
        this.lastStage = lastStage;
        this.listeners = listeners;
        this.producerIds = producerIds;
        this.ring = disruptor.start();
    }

    /**
     * Rebuilds producer state of every partition in {@code log}, then starts the stage threads.
     *
     * @throws UncheckedIOException if producer state or the producer-id block cannot be read
     */
    public static IngestPipeline start(LogManager log, PipelineConfig config) {
        Queue<PartitionLog> resyncRequests = new ConcurrentLinkedQueue<>();
        Queue<PartitionLog> deletedPartitions = new ConcurrentLinkedQueue<>();
        StageWaitStrategy waitStrategy = new StageWaitStrategy();
        SequenceHandler sequencer = new SequenceHandler(config.clock(), config.producerIdExpirationMs(), resyncRequests,
                deletedPartitions, new StageProgress(waitStrategy));
        ProducerIdAllocator producerIds;
        try {
            for (Topic topic : log.topics()) {
                for (int p = 0; p < topic.partitionCount(); p++) {
                    sequencer.load(topic.partition(p));
                }
            }
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
                deletedPartitions);
    }

    @Override
    public OfferResult offer(PartitionLog partition, ByteBuffer batches, AppendCallback callback) {
        Objects.requireNonNull(partition, "partition");
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
            ring.get(sequence).set(partition, batches, callback);
            ring.publish(sequence);
            return OfferResult.ACCEPTED;
        } finally {
            offersInProgress.decrementAndGet();
        }
    }

    @Override
    public void addCommitListener(CommitListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** {@inheritDoc} The sequence stage drops the state before it sequences its next event. */
    @Override
    public void partitionDeleted(PartitionLog partition) {
        deletedPartitions.add(Objects.requireNonNull(partition, "partition"));
    }

    @Override
    public ProducerIdAllocator producerIds() {
        return producerIds;
    }

    /**
     * Stops accepting, waits until every published event went through all three stages, stops the
     * threads. Waits on the commit stage's own sequence rather than {@code Disruptor.shutdown()},
     * which skips stages whose thread has not started running yet and could drop their events.
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
