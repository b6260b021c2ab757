package io.tributary.kafka.api;

import io.netty.util.concurrent.ScheduledFuture;
import io.tributary.kafka.network.LogSliceRecords;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.CorruptRecordException;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.AbortedTransaction;
import io.tributary.pipeline.TransactionView;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One fetch request: reads, and if fewer than {@code minBytes} came back, parks in the
 * {@link FetchPurgatory} until a partition's high watermark moves or {@code maxWaitMs} passes,
 * then reads again. Errors answer at once.
 *
 * <p>Threads: the reads (index lookups and batch-header reads of {@link PartitionLog#read}) run on the
 * broker's read executor; deciding, parking and answering run on the connection's event loop, so a
 * slow disk never stalls the other connections of the loop. The slices found are sent from the loop
 * with {@code sendfile}.
 *
 * <p>Byte limits: each partition gets at most its {@code partitionMaxBytes} and the response at
 * most {@code maxBytes}, except that the first batch of the first partition with data is sent
 * whole even if larger (KIP-74), so a consumer can always make progress. A read that reaches the
 * end of a segment continues in the next while room remains. Records stay on disk as
 * {@link LogSliceRecords} until the socket takes them.
 *
 * <p>Offsets below the log start or above the log end answer OFFSET_OUT_OF_RANGE; offsets from
 * the high watermark to the log end return no records. A read_committed fetch (isolation level 1)
 * reads only below the partition's last stable offset and lists the aborted transactions whose
 * records the returned range holds, so the client drops them; read_uncommitted reads up to the
 * high watermark, aborted records included, as from Kafka. A partition offline
 * after a storage failure ({@link PartitionLog#offlineReason()}) answers KAFKA_STORAGE_ERROR, as Kafka
 * answers for a partition in a failed log dir.
 */
final class FetchOperation implements FetchPurgatory.Waiter {
    private static final Logger LOG = LoggerFactory.getLogger(FetchOperation.class);
    private static final byte READ_COMMITTED = 1;

    private final RequestContext context;
    private final FetchRequestData request;
    private final short version;
    private final FetchPurgatory purgatory;
    private final Executor reads;
    private final Function<PartitionLog, TransactionView> transactions;
    private final boolean readCommitted;
    private final List<TopicTarget> topics = new ArrayList<>();
    private final List<PartitionLog> partitions = new ArrayList<>();
    private final long deadlineNanos;
    private final AtomicBoolean parked = new AtomicBoolean();
    private long[] seenHighWatermarks;
    private ScheduledFuture<?> timeout;

    FetchOperation(RequestContext context, FetchRequestData request, LogManager log,
                   Function<PartitionLog, TransactionView> transactions, FetchPurgatory purgatory, Executor reads) {
        this.context = context;
        this.transactions = transactions;
        this.readCommitted = request.isolationLevel() == READ_COMMITTED;
        this.request = request;
        this.version = context.request().apiVersion();
        this.purgatory = purgatory;
        this.reads = reads;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
        for (FetchTopic fetchTopic : request.topics()) {
            Optional<Topic> topic = version >= 13 ? Topics.byId(log, fetchTopic.topicId()) : log.topic(fetchTopic.topic());
            topics.add(new TopicTarget(fetchTopic, topic.orElse(null)));
            topic.ifPresent(t -> fetchTopic.partitions().forEach(p -> {
                if (p.partition() >= 0 && p.partition() < t.partitionCount()) {
                    partitions.add(t.partition(p.partition()));
                }
            }));
        }
        this.seenHighWatermarks = new long[partitions.size()];
    }

    /** Reads on the read executor, then, back on the event loop, answers or parks. */
    void run() {
        try {
            reads.execute(this::readThenDecide);
        } catch (RejectedExecutionException e) {
            context.closeConnection("fetch not served: the broker is shutting down");
        }
    }

    private void readThenDecide() {
        Read read;
        try {
            read = read();
        } catch (RuntimeException e) {
            // Thrown again on the loop, which closes the connection with one log line instead of leaving it stuck.
            context.execute(() -> {
                throw e;
            });
            return;
        }
        context.execute(() -> decide(read));
    }

    /** Answers if there is enough, an error, or no time left; else parks. On the event loop. */
    private void decide(Read read) {
        if (read.bytes >= request.minBytes() || read.error || partitions.isEmpty()
                || System.nanoTime() - deadlineNanos >= 0) {
            context.respond(read.response);
            return;
        }
        park();
    }

    private void park() {
        parked.set(true);
        purgatory.park(this, partitions);
        long delayNanos = Math.max(0, deadlineNanos - System.nanoTime());
        timeout = context.schedule(this::onTimeout, delayNanos, TimeUnit.NANOSECONDS);
        // a commit between the read and the park above woke nobody: compare the high watermarks with those read
        // before the read (the commit thread writes the high watermark, then reads the waiters; this writes the
        // waiters, then reads the high watermark)
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).highWatermark() != seenHighWatermarks[i]) {
                wake();
                return;
            }
        }
    }

    @Override
    public void wake() {
        if (parked.compareAndSet(true, false)) {
            context.execute(this::resume);
        }
    }

    private void onTimeout() {
        if (parked.compareAndSet(true, false)) {
            resume();
        }
    }

    private void resume() {
        purgatory.unpark(this, partitions);
        if (timeout != null) {
            timeout.cancel(false);
        }
        run();
    }

    private Read read() {
        Read read = new Read();
        read.remaining = request.maxBytes() > 0 ? request.maxBytes() : Integer.MAX_VALUE;
        int index = 0;
        for (TopicTarget target : topics) {
            FetchableTopicResponse topicResponse = new FetchableTopicResponse()
                    .setTopic(target.request.topic()).setTopicId(target.request.topicId());
            for (FetchPartition fetchPartition : target.request.partitions()) {
                PartitionData data = new PartitionData().setPartitionIndex(fetchPartition.partition())
                        .setRecords(MemoryRecords.EMPTY);
                topicResponse.partitions().add(data);
                if (target.topic == null) {
                    fail(read, data, version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else if (fetchPartition.partition() < 0 || fetchPartition.partition() >= target.topic.partitionCount()) {
                    fail(read, data, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    PartitionLog partition = partitions.get(index);
                    seenHighWatermarks[index++] = readPartition(read, partition, fetchPartition, data);
                }
            }
            read.response.responses().add(topicResponse);
        }
        return read;
    }

    private static void fail(Read read, PartitionData data, Errors error) {
        data.setErrorCode(error.code()).setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
        read.error = true;
    }

    /**
     * Fills {@code data}; returns the high watermark from before anything else was read, which a park compares
     * with. It is read before the last stable offset: read after it, it could include a commit (a transaction's
     * marker) that the last stable offset read before did not, and the park would then find no change to wake
     * for while that commit's records, below the new last stable offset, were never read.
     */
    private long readPartition(Read read, PartitionLog partition, FetchPartition fetch, PartitionData data) {
        TransactionView txns = transactions.apply(partition);
        long seen = partition.highWatermark();
        long lastStable = txns.lastStableOffset();
        long highWatermark = partition.highWatermark();
        long logStart = partition.logStartOffset();
        data.setHighWatermark(highWatermark).setLastStableOffset(lastStable).setLogStartOffset(logStart);
        long upperBound = readCommitted ? Math.min(lastStable, highWatermark) : highWatermark;
        long offset = fetch.fetchOffset();
        if (partition.offlineReason().isPresent()) {
            fail(read, data, Errors.KAFKA_STORAGE_ERROR);
            return seen;
        }
        if (offset < logStart || offset > partition.logEndOffset()) {
            fail(read, data, Errors.OFFSET_OUT_OF_RANGE);
            return seen;
        }
        if (offset >= upperBound || read.remaining <= 0) {
            return seen;
        }
        try {
            List<LogSlice> slices = new ArrayList<>(1);
            int room = Math.min(fetch.partitionMaxBytes(), read.remaining);
            long next = offset;
            boolean minOne = read.bytes == 0;
            int bytes = 0;
            while (room > 0 && next < upperBound) {
                LogSlice slice;
                try {
                    slice = partition.read(next, room, upperBound, minOne);
                } catch (CorruptRecordException e) {
                    if (bytes > 0) {
                        break; // the batches before the damage go out; the next fetch starts at it
                    }
                    throw e;
                }
                if (slice.isEmpty() || slice.lastOffset() < next) {
                    break;
                }
                slices.add(slice);
                bytes += slice.size();
                room -= slice.size();
                next = slice.lastOffset() + 1;
                minOne = false;
            }
            if (bytes > 0) {
                data.setRecords(new LogSliceRecords(slices));
                read.bytes += bytes;
                read.remaining -= bytes;
                if (readCommitted) {
                    List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
                    for (AbortedTransaction txn : txns.abortedTransactions(offset, next)) {
                        aborted.add(new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId())
                                .setFirstOffset(txn.firstOffset()));
                    }
                    data.setAbortedTransactions(aborted);
                }
            }
        } catch (OffsetOutOfRangeException e) {
            data.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code()).setLogStartOffset(e.logStartOffset());
            read.error = true;
        } catch (CorruptRecordException e) {
            // the range was logged at ERROR once when found (decision 0018)
            LOG.debug("Fetch from {}-{} at offset {}: {}", partition.topic(), partition.partition(), offset,
                    e.getMessage());
            data.setErrorCode(Errors.CORRUPT_MESSAGE.code());
            read.error = true;
        } catch (IOException e) {
            LOG.warn("Fetch from {}-{} at offset {} failed: {}", partition.topic(), partition.partition(), offset,
                    e.toString());
            data.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            read.error = true;
        }
        return seen;
    }

    private static final class Read {
        final FetchResponseData response = new FetchResponseData().setSessionId(0);
        int bytes;
        int remaining;
        boolean error;
    }

    private record TopicTarget(FetchTopic request, Topic topic) {
    }
}
