package io.tributary.kafka.share;

import io.netty.util.concurrent.ScheduledFuture;
import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.share.AcknowledgeType;
import io.tributary.delivery.share.AcquiredRange;
import io.tributary.delivery.share.RecordFilter;
import io.tributary.delivery.share.RecordTraits;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareError;
import io.tributary.delivery.share.ShareGroupConfigs;
import io.tributary.delivery.share.SharePartition;
import io.tributary.kafka.api.FetchPurgatory;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.LogSliceRecords;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.CorruptRecordException;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.Topic;
import io.tributary.pipeline.AbortedTransaction;
import io.tributary.pipeline.TransactionView;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The acquiring half of one ShareFetch: for each partition of the session, asks the engine where to read,
 * reads whole batches from there (within the partition and request byte limits, the first batch whole
 * even if larger), and acquires what it read, at most {@code MaxRecords} records over the request. A read goes
 * no further than the share partition's window can take ({@link ShareEngine#windowLimit}), and only the batches
 * up to the one holding the last acquired offset are sent; the client delivers only the acquired ranges.
 *
 * <p>It runs at once, beside the durable write of the request's acknowledgements (as Kafka's share fetch does), and
 * answers only once that write finished, with the acknowledgement codes it left.
 *
 * <p>A member with a message selector ({@link MemberSelectors}) acquires only the records it selects, evaluated
 * while the read is decoded; when it selects none of one read it reads on behind it, as far as the share window
 * can take records, so a run of refused records longer than one fetch does not hide the ones it wants.
 *
 * <p>When nothing was acquired it waits, up to {@code MaxWaitMs}: woken by the {@link FetchPurgatory} when
 * a partition's high watermark moves, and re-trying every {@link #RECHECK_MS} ms for records other members
 * released or whose locks expired. Reads run on the read executor; the answer on the event loop. A wake-up hands
 * the retry straight from the commit thread to the read executor, not through the event loop first: one thread
 * hop fewer between a record becoming visible and the answer that carries it (decision 0044).
 */
final class ShareFetchOperation implements FetchPurgatory.Waiter {
    /** How often a waiting fetch looks again for released records. */
    static final long RECHECK_MS = 100;
    private static final String READ_COMMITTED = "read_committed";
    /** ShareAcquireMode 0 (KIP-1206); 1 is record_limit. */
    private static final byte BATCH_OPTIMIZED = 0;
    private static final Logger LOG = LoggerFactory.getLogger(ShareFetchOperation.class);

    private final RequestContext context;
    private final ShareFetchRequestData request;
    private final ShareEngine engine;
    private final FetchPurgatory purgatory;
    private final Executor reads;
    private final Map<ShareSessions.SessionPartition, ShareFetchResponseData.PartitionData> acks;
    private final CompletableFuture<Void> acksDurable;
    private final List<Target> targets = new ArrayList<>();
    private final List<PartitionLog> logs = new ArrayList<>();
    private final long deadlineNanos;
    private final AtomicBoolean parked = new AtomicBoolean();
    /** The recheck timer of the current wait; read by the thread that wakes the operation. */
    private volatile ScheduledFuture<?> timer;
    private final Function<PartitionLog, TransactionView> transactions;
    /** The member's message selector ({@link MemberSelectors}); {@code null} for none. */
    private final MemberSelectors.MemberSelector selector;

    private record Target(ShareSessions.SessionPartition key, TopicPartition tp, PartitionLog log, Errors error) {
    }

    ShareFetchOperation(RequestContext context, ShareFetchRequestData request, ShareEngine engine, LogManager log,
                        FetchPurgatory purgatory, Executor reads,
                        Map<ShareSessions.SessionPartition, ShareFetchResponseData.PartitionData> acks,
                        CompletableFuture<Void> acksDurable, List<ShareSessions.SessionPartition> toFetch,
                        Function<PartitionLog, TransactionView> transactions,
                        MemberSelectors.MemberSelector selector) {
        this.context = context;
        this.selector = selector;
        this.transactions = transactions;
        this.request = request;
        this.engine = engine;
        this.purgatory = purgatory;
        this.reads = reads;
        this.acks = acks;
        this.acksDurable = acksDurable;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
        for (ShareSessions.SessionPartition sp : toFetch) {
            Topic topic = Topics.byId(log, sp.topicId()).orElse(null);
            if (topic == null) {
                targets.add(new Target(sp, null, null, Errors.UNKNOWN_TOPIC_ID));
            } else if (!context.mayReadTopic(topic.name())) {
                targets.add(new Target(sp, null, null, Errors.TOPIC_AUTHORIZATION_FAILED));
            } else if (sp.partition() < 0 || sp.partition() >= topic.partitionCount()) {
                targets.add(new Target(sp, null, null, Errors.UNKNOWN_TOPIC_OR_PARTITION));
            } else {
                PartitionLog partition = topic.partition(sp.partition());
                targets.add(new Target(sp, new TopicPartition(topic.name(), sp.partition()), partition, Errors.NONE));
                logs.add(partition);
            }
        }
    }

    static ShareFetchResponseData.PartitionData emptyPartition(int index) {
        return new ShareFetchResponseData.PartitionData().setPartitionIndex(index).setRecords(MemoryRecords.EMPTY);
    }

    void run() {
        try {
            reads.execute(this::attemptThenDecide);
        } catch (RejectedExecutionException e) {
            context.closeConnection("share fetch not served: the broker is shutting down");
        }
    }

    private void attemptThenDecide() {
        Attempt attempt;
        try {
            attempt = attempt();
        } catch (RuntimeException e) {
            context.execute(() -> {
                throw e;
            });
            return;
        }
        context.execute(() -> decide(attempt));
    }

    private void decide(Attempt attempt) {
        if (attempt.acquired > 0 || attempt.error || logs.isEmpty() || System.nanoTime() - deadlineNanos >= 0) {
            respond(attempt);
            return;
        }
        parked.set(true);
        purgatory.park(this, logs);
        long delayNanos = Math.min(Math.max(0, deadlineNanos - System.nanoTime()),
                TimeUnit.MILLISECONDS.toNanos(RECHECK_MS));
        timer = context.schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
        // a commit between the attempt's read and the park above woke nobody: look at the high watermarks once
        // more, now that a later commit finds this operation parked (the commit thread writes the high watermark,
        // then reads the waiters; this writes the waiters, then reads the high watermark)
        for (int i = 0; i < logs.size(); i++) {
            if (logs.get(i).highWatermark() > attempt.seenHighWatermarks[i]) {
                wake();
                return;
            }
        }
    }

    /** Answers once the piggy-backed acknowledgements are durable, with their error codes as they are then. */
    private void respond(Attempt attempt) {
        if (acksDurable.isDone()) {
            context.respond(attempt.response());
        } else {
            acksDurable.whenComplete((v, failure) -> context.execute(() -> context.respond(attempt.response())));
        }
    }

    /** On the commit thread: unparks and hands the retry to the read executor ({@link #resume}), both thread-safe. */
    @Override
    public void wake() {
        if (parked.compareAndSet(true, false)) {
            resume();
        }
    }

    private void onTimer() {
        if (parked.compareAndSet(true, false)) {
            resume();
        }
    }

    private void resume() {
        purgatory.unpark(this, logs);
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        try {
            reads.execute(this::attemptThenDecide);
        } catch (RejectedExecutionException e) {
            context.execute(() -> context.closeConnection("share fetch not served: the broker is shutting down"));
        }
    }

    private Attempt attempt() {
        Attempt attempt = new Attempt();
        for (int i = 0; i < logs.size(); i++) {
            attempt.seenHighWatermarks[i] = logs.get(i).highWatermark();
        }
        attempt.remainingBytes = request.maxBytes() > 0 ? request.maxBytes() : Integer.MAX_VALUE;
        attempt.remainingRecords = request.maxRecords() > 0 ? request.maxRecords() : Integer.MAX_VALUE;
        for (Map.Entry<ShareSessions.SessionPartition, ShareFetchResponseData.PartitionData> e : acks.entrySet()) {
            attempt.partitions.put(e.getKey(), copy(e.getValue()));
        }
        for (Target target : targets) {
            ShareFetchResponseData.PartitionData data = attempt.partitions.computeIfAbsent(target.key,
                    k -> emptyPartition(k.partition()));
            if (target.error != Errors.NONE) {
                data.setErrorCode(target.error.code());
                // Kafka answers refused partitions beside a long poll of the others, not instead of it
                attempt.error |= target.error != Errors.TOPIC_AUTHORIZATION_FAILED;
                continue;
            }
            acquire(attempt, target, data);
        }
        return attempt;
    }

    private void acquire(Attempt attempt, Target target, ShareFetchResponseData.PartitionData data) {
        if (attempt.remainingRecords <= 0 || attempt.remainingBytes <= 0) {
            return;
        }
        String group = request.groupId();
        long offset = engine.nextAcquirableOffset(group, target.tp);
        PartitionLog partition = target.log;
        TransactionView txns = transactions.apply(partition);
        boolean readCommitted = READ_COMMITTED.equals(ShareGroupConfigs.values(engine.config(),
                engine.groupConfigs(group)).get(ShareGroupConfigs.ISOLATION_LEVEL));
        long highWatermark = readCommitted ? Math.min(partition.highWatermark(), txns.lastStableOffset())
                : partition.highWatermark();
        // the window cannot take offsets past its limit now: reading (and decoding) further would be wasted
        long limit = Math.min(highWatermark, engine.windowLimit(group, target.tp));
        if (offset < 0 || offset >= limit) {
            return;
        }
        if (partition.offlineReason().isPresent()) {
            data.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            attempt.error = true;
            return;
        }
        try {
            List<LogSlice> slices;
            List<AcquiredRange> ranges;
            RecordFilter filter;
            RecordTraits traits;
            long lastRead;
            long from = offset;
            while (true) {
                slices = read(partition, from, attempt.remainingBytes, limit, attempt.bytes == 0);
                if (slices.isEmpty()) {
                    return;
                }
                lastRead = Math.min(slices.get(slices.size() - 1).lastOffset(), limit - 1);
                long traitsFrom = Math.max(from, engine.traitsFrom(group, target.tp));
                SelectedOffsets selected = selector == null ? null
                        : new SelectedOffsets(selector.selector(), selector.archivesRefused(), target.tp.topic(),
                                target.tp.partition(), from, lastRead, engine.deliveryCountLimit(group));
                traits = traitsFrom <= lastRead || selected != null
                        ? RecordTraitsReader.read(slices, from, lastRead, traitsFrom, engine.keyAffinity(group),
                                selected)
                        : RecordTraits.NONE;
                filter = selected == null ? RecordFilter.ALL : selected;
                ranges = engine.acquire(group, request.memberId(), target.tp, from, lastRead,
                        attempt.remainingRecords, filter, traits);
                if (!ranges.isEmpty()) {
                    break;
                }
                // a selector may refuse every record of this read while later ones in the window's reach match:
                // read on from there (what was read is not sent), as far as the window can take records
                SharePartition window = selected == null ? null : engine.partition(group, target.tp);
                if (window == null || lastRead + 1 >= limit || window.endOffset() <= lastRead) {
                    return;
                }
                from = lastRead + 1;
            }
            offset = ranges.get(0).firstOffset();
            if (request.shareAcquireMode() == BATCH_OPTIMIZED && count(ranges) >= attempt.remainingRecords) {
                ranges = toBatchEnd(group, target.tp, slices, ranges, lastRead, traits, filter);
            }
            long lastAcquired = ranges.get(ranges.size() - 1).lastOffset();
            Scan scan = scan(slices, offset, lastAcquired,
                    readCommitted ? txns.abortedTransactions(offset, lastAcquired + 1) : List.of());
            ranges = archiveSkipped(group, target.tp, ranges, scan.skipped);
            if (ranges.isEmpty()) {
                return;
            }
            for (AcquiredRange range : ranges) {
                data.acquiredRecords().add(new ShareFetchResponseData.AcquiredRecords()
                        .setFirstOffset(range.firstOffset()).setLastOffset(range.lastOffset())
                        .setDeliveryCount((short) range.deliveryCount()));
                attempt.acquired += range.count();
                attempt.remainingRecords -= (int) range.count();
            }
            data.setRecords(new LogSliceRecords(scan.sent));
            attempt.bytes += scan.bytes;
            attempt.remainingBytes -= scan.bytes;
        } catch (OffsetOutOfRangeException e) {
            LOG.debug("Share fetch of {} at {} passed the log start; retried on the next fetch", target.tp, offset);
        } catch (CorruptRecordException e) {
            LOG.debug("Share fetch of {} at {}: {}", target.tp, offset, e.getMessage());
            data.setErrorCode(Errors.CORRUPT_MESSAGE.code());
            attempt.error = true;
        } catch (IOException e) {
            LOG.warn("Share fetch from {} at offset {} failed: {}", target.tp, offset, e.toString());
            data.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            attempt.error = true;
        }
    }

    /**
     * Whole batches of {@code partition} from {@code from} below {@code limit}, at most {@code room} bytes (the
     * first batch whole even if larger when {@code minOne}).
     */
    private static List<LogSlice> read(PartitionLog partition, long from, int room, long limit, boolean minOne)
            throws IOException {
        List<LogSlice> slices = new ArrayList<>(1);
        long next = from;
        while (room > 0 && next < limit) {
            LogSlice slice = partition.read(next, room, limit, minOne);
            if (slice.isEmpty() || slice.lastOffset() < next) {
                break;
            }
            slices.add(slice);
            room -= slice.size();
            next = slice.lastOffset() + 1;
            minOne = false;
        }
        return slices;
    }

    /**
     * Kafka's {@code batch_optimized} acquire mode (KIP-1206's default): once {@code MaxRecords} are acquired, the
     * rest of the batch holding the last of them is acquired too (of the records {@code filter} lets through), so
     * acquisitions end on batch boundaries (Kafka 4.4 hands a {@code max.poll.records=15} consumer 20 records of
     * two 10-record batches).
     */
    private List<AcquiredRange> toBatchEnd(String group, TopicPartition tp, List<LogSlice> slices,
                                           List<AcquiredRange> ranges, long lastRead, RecordTraits traits,
                                           RecordFilter filter) throws IOException {
        long lastAcquired = ranges.get(ranges.size() - 1).lastOffset();
        long batchEnd = Math.min(batchLastOffset(slices, lastAcquired), lastRead);
        if (batchEnd <= lastAcquired) {
            return ranges;
        }
        List<AcquiredRange> more = engine.acquire(group, request.memberId(), tp, lastAcquired + 1, batchEnd,
                (int) (batchEnd - lastAcquired), filter, traits);
        if (more.isEmpty()) {
            return ranges;
        }
        List<AcquiredRange> all = new ArrayList<>(ranges.size() + more.size());
        all.addAll(ranges);
        all.addAll(more);
        return all;
    }

    private static long count(List<AcquiredRange> ranges) {
        long n = 0;
        for (AcquiredRange range : ranges) {
            n += range.count();
        }
        return n;
    }

    /** The last offset of the batch of {@code slices} that holds {@code offset}; {@code offset} if none does. */
    private static long batchLastOffset(List<LogSlice> slices, long offset) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE);
        RecordBatchHeader header = new RecordBatchHeader();
        for (LogSlice slice : slices) {
            long position = slice.position();
            long end = slice.position() + slice.size();
            while (end - position >= RecordBatchHeader.HEADER_SIZE) {
                bytes.clear();
                while (bytes.hasRemaining()) {
                    if (slice.channel().read(bytes, position + bytes.position()) < 0) {
                        throw new IOException("Unexpected end of segment at " + position);
                    }
                }
                header.wrap(bytes, 0);
                if (header.baseOffset() > offset) {
                    return offset;
                }
                if (header.lastOffset() >= offset) {
                    return header.lastOffset();
                }
                position += header.sizeInBytes();
            }
        }
        return offset;
    }

    /**
     * What of the read slices is sent, and what in it no member may be handed. {@code skipped}: the offset ranges
     * in {@code [from, to]} of control batches (commit and abort markers) and of batches of the {@code aborted}
     * transactions, in offset order. {@code sent}: the slices cut after the batch holding {@code to} (the last
     * acquired offset), so a member is not sent records it was not given; {@code bytes}: their size.
     */
    private record Scan(List<long[]> skipped, List<LogSlice> sent, int bytes) {
    }

    private static Scan scan(List<LogSlice> slices, long from, long to, List<AbortedTransaction> aborted)
            throws IOException {
        List<long[]> skipped = new ArrayList<>();
        List<LogSlice> sent = new ArrayList<>(slices.size());
        int bytes = 0;
        ByteBuffer buffer = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE);
        RecordBatchHeader header = new RecordBatchHeader();
        for (LogSlice slice : slices) {
            if (slice.firstOffset() > to) {
                break;
            }
            if (slice.lastOffset() < from) {
                continue; // read before the first acquired record (a selector refused it): not sent
            }
            long position = slice.position();
            long end = slice.position() + slice.size();
            long lastOffset = -1;
            boolean past = false;
            while (end - position >= RecordBatchHeader.HEADER_SIZE) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    if (slice.channel().read(buffer, position + buffer.position()) < 0) {
                        throw new IOException("Unexpected end of segment at " + position);
                    }
                }
                header.wrap(buffer, 0);
                long base = header.baseOffset();
                long last = header.lastOffset();
                int size = header.sizeInBytes();
                if (base > to) {
                    past = true;
                    break;
                }
                if (size < RecordBatchHeader.HEADER_SIZE || position + size > end) {
                    throw new CorruptRecordException("Batch of " + size + " bytes at " + position + " of a slice", base);
                }
                if (last >= from && (header.isControl()
                        || header.isTransactional() && abortedBatch(aborted, header.producerId(), base))) {
                    skipped.add(new long[] {Math.max(base, from), Math.min(last, to)});
                }
                position += size;
                lastOffset = last;
            }
            int size = (int) (position - slice.position());
            if (size > 0) {
                sent.add(size == slice.size() ? slice
                        : new LogSlice(slice.channel(), slice.position(), size, slice.firstOffset(), lastOffset));
                bytes += size;
            }
            if (past) {
                break;
            }
        }
        return new Scan(skipped, sent, bytes);
    }

    private static boolean abortedBatch(List<AbortedTransaction> aborted, long producerId, long baseOffset) {
        for (AbortedTransaction a : aborted) {
            if (a.producerId() == producerId && a.firstOffset() <= baseOffset && baseOffset < a.lastOffset()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Archives ({@link AcknowledgeType#GAP}) the acquired offsets that lie in {@code skipped}, as Kafka's share
     * partition archives control records and, for read_committed groups, aborted ones; returns the acquired
     * ranges without them, which is what the member is told it holds.
     */
    private List<AcquiredRange> archiveSkipped(String group, TopicPartition tp, List<AcquiredRange> ranges,
                                               List<long[]> skipped) {
        if (skipped.isEmpty()) {
            return ranges;
        }
        List<AcquiredRange> kept = new ArrayList<>(ranges.size());
        for (AcquiredRange range : ranges) {
            long next = range.firstOffset();
            for (long[] skip : skipped) {
                long first = Math.max(skip[0], next);
                long last = Math.min(skip[1], range.lastOffset());
                if (first > last) {
                    continue;
                }
                if (first > next) {
                    kept.add(new AcquiredRange(next, first - 1, range.deliveryCount()));
                }
                ShareError error = engine.acknowledge(group, request.memberId(), tp, first, last, AcknowledgeType.GAP);
                if (error != ShareError.NONE) {
                    LOG.warn("Could not archive offsets {}-{} of {} for share group {}: {}", first, last, tp, group,
                            error);
                }
                next = last + 1;
            }
            if (next <= range.lastOffset()) {
                kept.add(new AcquiredRange(next, range.lastOffset(), range.deliveryCount()));
            }
        }
        return kept;
    }

    private static ShareFetchResponseData.PartitionData copy(ShareFetchResponseData.PartitionData ack) {
        return emptyPartition(ack.partitionIndex()).setErrorCode(ack.errorCode())
                .setAcknowledgeErrorCode(ack.acknowledgeErrorCode());
    }

    private final class Attempt {
        final Map<ShareSessions.SessionPartition, ShareFetchResponseData.PartitionData> partitions =
                new LinkedHashMap<>();
        int bytes;
        int remainingBytes;
        int remainingRecords;
        long acquired;
        boolean error;
        /** Each of {@link #logs}' high watermark before the attempt read it. */
        final long[] seenHighWatermarks = new long[logs.size()];

        ShareFetchResponseData response() {
            ShareFetchResponseData response = new ShareFetchResponseData()
                    .setAcquisitionLockTimeoutMs(engine.recordLockDurationMs(request.groupId()));
            // the acknowledgement codes as the durable writes left them (they may have finished after the attempt)
            acks.forEach((key, ack) -> partitions.get(key).setAcknowledgeErrorCode(ack.acknowledgeErrorCode()));
            Map<Uuid, ShareFetchResponseData.ShareFetchableTopicResponse> byTopic = new LinkedHashMap<>();
            for (Map.Entry<ShareSessions.SessionPartition, ShareFetchResponseData.PartitionData> e
                    : partitions.entrySet()) {
                byTopic.computeIfAbsent(e.getKey().topicId(), id -> new ShareFetchResponseData
                        .ShareFetchableTopicResponse().setTopicId(id)).partitions().add(e.getValue());
            }
            byTopic.values().forEach(response.responses()::add);
            return response;
        }
    }
}
