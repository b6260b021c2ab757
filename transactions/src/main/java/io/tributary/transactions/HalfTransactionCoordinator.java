package io.tributary.transactions;

import io.tributary.delivery.internal.records.RecordBatchReader;
import io.tributary.delivery.internal.records.RecordBatchWriter;
import io.tributary.delivery.internal.records.RecordHeader;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OrderedOffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * RocketMQ-style transactions with half messages and check-back (decision 0017), protocol-free.
 *
 * <p>A half message is stored in the internal topic {@value #TOPIC} (one partition, compacted),
 * keyed by producer group and transaction id, carrying its target topic and partition; nothing is
 * written to the target, so it is invisible to every consumer and holds no partition back. Every state
 * change is one record there, the last record of a key winning at replay.
 *
 * <p>Commit: the decision COMMITTING is stored with the target's log end offset, the record is
 * appended to the target through the ingest pipeline with the header {@value #ORIGIN_HEADER} (value
 * {@code group/transactionId}), then COMMITTED is stored. A COMMITTING found at start is finished: the
 * target is scanned from the stored offset for the header, and the record is appended only if it is
 * not there, so a crash applies a commit at most once. Rollback stores ROLLED_BACK. A decided
 * transaction is never checked again; a decision the other way is refused ({@link HalfError#ALREADY_DECIDED})
 * until {@code transaction.decided.retention.ms} after the decision, when a tombstone forgets it.
 *
 * <p>Check-back: a transaction undecided {@code transaction.check.timeout.ms} after it was sent is
 * checked, then every {@code transaction.check.interval.ms}, up to {@code transaction.check.max} times;
 * a check is handed to a member of the producer group waiting in {@link #pollCheck} (or to the next one
 * to poll). A check counts whether or not a member took it, as in RocketMQ. After the last check
 * {@code transaction.check.max.outcome} is applied and logged. All state is used on one thread.
 */
public final class HalfTransactionCoordinator implements AutoCloseable {
    public static final String TOPIC = "__half_messages";
    public static final String ORIGIN_HEADER = "tributary.half.origin";
    private static final Logger LOG = LoggerFactory.getLogger(HalfTransactionCoordinator.class);
    private static final int READ_BYTES = 1 << 20;
    private static final long MAX_RETRY_MS = 64;
    /**
     * The topic is compacted, as {@code __transaction_state}: the log cleaner keeps the last record of each
     * (group, transaction id), so a decided transaction's earlier records, its message included, go, and only
     * its small decision stays. Segments of 16 MiB, since the cleaner cleans closed segments only.
     */
    static final Map<String, String> TOPIC_CONFIG = Map.of(LogConfig.CLEANUP_POLICY, "compact",
            LogConfig.SEGMENT_BYTES, Integer.toString(16 * 1024 * 1024),
            LogConfig.RETENTION_MS, "-1", LogConfig.RETENTION_BYTES, "-1");

    private final HalfTransactionConfig config;
    private final LogManager log;
    private final IngestPipeline ingest;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final OrderedOffers offers;
    private final Map<String, HalfTransaction> transactions = new LinkedHashMap<>();
    private final HalfCheckQueue checks;
    private PartitionLog partition;

    private HalfTransactionCoordinator(HalfTransactionConfig config, LogManager log, IngestPipeline ingest, Clock clock) {
        this.config = config;
        this.log = log;
        this.ingest = ingest;
        this.clock = clock;
        this.thread = newThread();
        this.offers = new OrderedOffers(ingest, thread, MAX_RETRY_MS);
        this.checks = new HalfCheckQueue(thread);
        this.partition = log.topic(TOPIC).map(this::compacted).map(t -> t.partition(0)).orElse(null);
    }

    /**
     * The coordinator's one thread. It drops a cancelled task from its queue at once (not at the task's due
     * time), so the max-wait timers of long polls answered early by a check do not pile up.
     */
    static ScheduledThreadPoolExecutor newThread() {
        ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "half-transaction-coordinator");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        return thread;
    }

    /** {@code topic} with {@link #TOPIC_CONFIG} applied: a topic written before compaction becomes compacted. */
    private Topic compacted(Topic topic) {
        if (topic.configOverrides().entrySet().containsAll(TOPIC_CONFIG.entrySet())) {
            return topic;
        }
        Map<String, String> overrides = new HashMap<>(topic.configOverrides());
        overrides.putAll(TOPIC_CONFIG);
        try {
            return log.alterTopicConfig(TOPIC, overrides);
        } catch (UnsupportedOperationException e) {
            LOG.warn("Cannot set the config of {} to {}: {}", TOPIC, TOPIC_CONFIG, e.getMessage());
            return topic;
        }
    }

    /** Replays {@value #TOPIC}, finishes interrupted commits, and starts checking. */
    public static HalfTransactionCoordinator start(HalfTransactionConfig config, LogManager log, IngestPipeline ingest,
                                                   Clock clock) {
        HalfTransactionCoordinator coordinator = new HalfTransactionCoordinator(config, log, ingest, clock);
        try {
            coordinator.thread.submit(() -> {
                coordinator.replay();
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            coordinator.close();
            throw new IllegalStateException("interrupted replaying " + TOPIC, e);
        } catch (ExecutionException e) {
            coordinator.close();
            throw new IllegalStateException("cannot replay " + TOPIC, e.getCause());
        }
        long tick = Math.max(5L, Math.min(1_000L, Math.min(config.checkTimeoutMs(), config.checkIntervalMs()) / 4));
        coordinator.thread.scheduleWithFixedDelay(coordinator::checkDue, tick, tick, TimeUnit.MILLISECONDS);
        return coordinator;
    }

    /** Stores a half message for {@code topic}-{@code partition}; completes once it is durable in {@value #TOPIC}. */
    public CompletableFuture<Void> sendHalf(String producerGroup, String transactionId, String topic, int partition,
                                            HalfMessage message) {
        return onThread(() -> {
            if (target(topic, partition).isEmpty()) {
                return failed(HalfError.UNKNOWN_TOPIC_OR_PARTITION, "unknown topic or partition " + topic + "-" + partition);
            }
            String key = HalfTransaction.key(producerGroup, transactionId);
            if (transactions.containsKey(key)) {
                return failed(HalfError.DUPLICATE_TRANSACTION, "transaction " + transactionId + " of producer group "
                        + producerGroup + " was already sent");
            }
            HalfTransaction txn = new HalfTransaction(producerGroup, transactionId, topic, partition, clock.millis(),
                    HalfTransaction.State.PREPARED, message);
            transactions.put(key, txn);
            return write(txn).whenCompleteAsync((v, failure) -> {
                if (failure != null && transactions.get(key) == txn) {
                    transactions.remove(key);
                }
            }, thread);
        });
    }

    /**
     * Commits or rolls back a half transaction; completes once the decision (and on commit, the
     * record in the target) is durable. Repeating the same decision succeeds; the other one fails with
     * {@link HalfError#ALREADY_DECIDED}.
     */
    public CompletableFuture<Void> end(String producerGroup, String transactionId, HalfOutcome outcome) {
        return onThread(() -> {
            HalfTransaction txn = transactions.get(HalfTransaction.key(producerGroup, transactionId));
            if (txn == null) {
                return failed(HalfError.UNKNOWN_TRANSACTION, "unknown transaction " + transactionId
                        + " of producer group " + producerGroup);
            }
            return decide(txn, outcome);
        });
    }

    /**
     * Long poll of a member of {@code producerGroup} for check requests: completes with those waiting,
     * or with the next one, or empty after {@code maxWaitMs}.
     */
    public CompletableFuture<List<HalfCheckRequest>> pollCheck(String producerGroup, long maxWaitMs) {
        return pollCheck(producerGroup, maxWaitMs, () -> true);
    }

    /**
     * As {@link #pollCheck(String, long)} for a member that may go away while it waits: a check is not handed
     * to a waiting poll whose {@code alive} says false (its connection closed), but to the next live one.
     */
    public CompletableFuture<List<HalfCheckRequest>> pollCheck(String producerGroup, long maxWaitMs,
                                                               java.util.function.BooleanSupplier alive) {
        return onThread(() -> checks.poll(producerGroup, maxWaitMs, alive));
    }

    /** The state of a transaction: PREPARED, COMMITTING, COMMITTED or ROLLED_BACK; empty if unknown. For tests and tools. */
    public CompletableFuture<Optional<String>> state(String producerGroup, String transactionId) {
        return onThread(() -> CompletableFuture.completedFuture(Optional.ofNullable(
                transactions.get(HalfTransaction.key(producerGroup, transactionId))).map(t -> t.state.name())));
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<Void> decide(HalfTransaction txn, HalfOutcome outcome) {
        switch (txn.state) {
            case COMMITTED:
            case COMMITTING:
                if (outcome == HalfOutcome.ROLLBACK) {
                    return failed(HalfError.ALREADY_DECIDED, "transaction " + txn.transactionId + " of producer group "
                            + txn.producerGroup + " was committed; it cannot be rolled back");
                }
                return txn.committing != null ? txn.committing : CompletableFuture.completedFuture(null);
            case ROLLED_BACK:
                if (outcome == HalfOutcome.COMMIT) {
                    return failed(HalfError.ALREADY_DECIDED, "transaction " + txn.transactionId + " of producer group "
                            + txn.producerGroup + " was rolled back; it cannot be committed");
                }
                return CompletableFuture.completedFuture(null);
            default:
                break;
        }
        if (outcome == HalfOutcome.ROLLBACK) {
            txn.state = HalfTransaction.State.ROLLED_BACK;
            txn.message = null;
            txn.decidedMs = clock.millis();
            return write(txn);
        }
        Optional<PartitionLog> target = target(txn.topic, txn.partition);
        if (target.isEmpty()) {
            return failed(HalfError.UNKNOWN_TOPIC_OR_PARTITION, "the target " + txn.topic + "-" + txn.partition
                    + " of transaction " + txn.transactionId + " no longer exists");
        }
        txn.state = HalfTransaction.State.COMMITTING;
        txn.scanFrom = target.get().logEndOffset();
        CompletableFuture<Void> done = new CompletableFuture<>();
        txn.committing = done;
        write(txn).thenComposeAsync(v -> applyCommit(txn, target.get()), thread)
                .whenCompleteAsync((v, failure) -> {
                    if (failure == null) {
                        done.complete(null);
                    } else {
                        LOG.warn("Commit of half transaction {} of producer group {} failed; retried at the next start: {}",
                                txn.transactionId, txn.producerGroup, failure.toString());
                        txn.committing = null;
                        done.completeExceptionally(storageError(failure));
                    }
                }, thread);
        return done;
    }

    /** Appends the record to the target, then stores COMMITTED. */
    private CompletableFuture<Void> applyCommit(HalfTransaction txn, PartitionLog target) {
        HalfMessage message = txn.message;
        List<RecordHeader> headers = new ArrayList<>();
        for (HalfMessage.Header header : message.headers()) {
            headers.add(new RecordHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        headers.add(new RecordHeader(ORIGIN_HEADER, ByteBuffer.wrap(origin(txn))));
        ByteBuffer batch = new RecordBatchWriter(256).append(message.timestamp(),
                message.key() == null ? null : ByteBuffer.wrap(message.key()),
                message.value() == null ? null : ByteBuffer.wrap(message.value()), headers).build();
        return append(target, batch).thenComposeAsync(v -> committed(txn), thread);
    }

    private CompletableFuture<Void> committed(HalfTransaction txn) {
        txn.state = HalfTransaction.State.COMMITTED;
        txn.message = null;
        txn.committing = null;
        txn.decidedMs = clock.millis();
        return write(txn);
    }

    private static byte[] origin(HalfTransaction txn) {
        return (txn.producerGroup + "/" + txn.transactionId).getBytes(StandardCharsets.UTF_8);
    }

    private void checkDue() {
        try {
            long now = clock.millis();
            for (HalfTransaction txn : List.copyOf(transactions.values())) {
                if (txn.decided()) {
                    if (txn.decidedMs >= 0 && now - txn.decidedMs > config.decidedRetentionMs()) {
                        forget(txn);
                    }
                    continue;
                }
                long due = txn.checks == 0 ? txn.createdMs + config.checkTimeoutMs() : txn.lastCheckMs + config.checkIntervalMs();
                if (now < due) {
                    continue;
                }
                if (txn.checks >= config.checkMax()) {
                    LOG.warn("Half transaction {} of producer group {} is still undecided after {} checks: applying {}",
                            txn.transactionId, txn.producerGroup, txn.checks, config.checkMaxOutcome());
                    decide(txn, config.checkMaxOutcome());
                    continue;
                }
                txn.checks++;
                txn.lastCheckMs = now;
                write(txn);
                checks.ask(new HalfCheckRequest(txn.producerGroup, txn.transactionId, txn.topic, txn.partition, txn.message,
                        txn.checks));
            }
        } catch (RuntimeException e) {
            LOG.warn("Checking half transactions failed: {}", e.toString(), e);
        }
    }

    /**
     * Forgets a transaction decided longer than {@code transaction.decided.retention.ms} ago: a tombstone (null
     * value) for its key, which the log cleaner keeps for {@code delete.retention.ms} and then removes, so the
     * topic does not grow by one record per transaction for ever. An EndHalf for it is then UNKNOWN_TRANSACTION.
     */
    private void forget(HalfTransaction txn) {
        transactions.remove(txn.key());
        ByteBuffer tombstone = new RecordBatchWriter(64).append(clock.millis(),
                HalfRecordCodec.key(txn.producerGroup, txn.transactionId), null).build();
        append(partition(), tombstone).whenComplete((v, failure) -> {
            if (failure != null) {
                LOG.warn("Tombstone of decided half transaction {} of producer group {} not stored; it comes back at the "
                        + "next start and is forgotten again: {}", txn.transactionId, txn.producerGroup, failure.toString());
            }
        });
    }

    private void replay() throws IOException {
        if (partition != null) {
            forEachRecord(partition, partition.logStartOffset(), (recordOffset, timestamp, key, value, headers) -> {
                String[] id = HalfRecordCodec.decodeKey(key);
                String k = HalfTransaction.key(id[0], id[1]);
                if (value == null) {
                    transactions.remove(k);
                } else {
                    HalfTransaction txn = HalfRecordCodec.decode(id[0], id[1], value);
                    if (txn.state == HalfTransaction.State.COMMITTED || txn.state == HalfTransaction.State.ROLLED_BACK) {
                        txn.decidedMs = timestamp;
                    }
                    transactions.put(k, txn);
                }
            });
        }
        for (HalfTransaction txn : transactions.values()) {
            if (txn.state == HalfTransaction.State.COMMITTING) {
                finishCommit(txn);
            }
        }
        LOG.info("Replayed {}: {} half transactions, {} undecided", TOPIC, transactions.size(),
                transactions.values().stream().filter(t -> !t.decided()).count());
    }

    /** A commit interrupted by a stop: append the record unless it is already in the target, then store COMMITTED. */
    private void finishCommit(HalfTransaction txn) throws IOException {
        Optional<PartitionLog> target = target(txn.topic, txn.partition);
        if (target.isEmpty()) {
            LOG.warn("The target {}-{} of committing half transaction {} is gone; it stays committing",
                    txn.topic, txn.partition, txn.transactionId);
            return;
        }
        byte[] origin = origin(txn);
        AtomicBoolean found = new AtomicBoolean();
        forEachRecord(target.get(), Math.max(txn.scanFrom, target.get().logStartOffset()), (o, t, k, v, headers) -> {
            for (RecordHeader header : headers) {
                if (ORIGIN_HEADER.equals(header.key()) && header.value() != null
                        && header.value().duplicate().equals(ByteBuffer.wrap(origin))) {
                    found.set(true);
                }
            }
        });
        CompletableFuture<Void> done = found.get() ? committed(txn) : applyCommit(txn, target.get());
        LOG.info("Finishing the commit of half transaction {} of producer group {}: record {} in {}-{}",
                txn.transactionId, txn.producerGroup, found.get() ? "already" : "now appended", txn.topic, txn.partition);
        txn.committing = done;
    }

    static void forEachRecord(PartitionLog partition, long from,
                                      io.tributary.delivery.internal.records.RecordVisitor visitor) throws IOException {
        long offset = from;
        long end = partition.highWatermark();
        while (offset < end) {
            LogSlice slice = partition.read(offset, READ_BYTES, end, true);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer bytes = ByteBuffer.allocate(slice.size());
            while (bytes.hasRemaining()) {
                if (slice.channel().read(bytes, slice.position() + bytes.position()) < 0) {
                    throw new IOException("unexpected end of " + partition + " at offset " + offset);
                }
            }
            bytes.flip();
            long next = RecordBatchReader.forEach(bytes, visitor);
            if (next <= offset) {
                throw new IOException("no progress reading " + partition + " at offset " + offset);
            }
            offset = next;
        }
    }

    private Optional<PartitionLog> target(String topic, int partition) {
        Optional<Topic> t = log.topic(topic);
        if (t.isEmpty() || partition < 0 || partition >= t.get().partitionCount()) {
            return Optional.empty();
        }
        return Optional.of(t.get().partition(partition));
    }

    private PartitionLog partition() {
        if (partition == null) {
            Topic topic = log.topic(TOPIC).orElseGet(() -> log.createTopic(TOPIC, 1, TOPIC_CONFIG));
            partition = topic.partition(0);
        }
        return partition;
    }

    private CompletableFuture<Void> write(HalfTransaction txn) {
        ByteBuffer batch = new RecordBatchWriter(256).append(clock.millis(),
                HalfRecordCodec.key(txn.producerGroup, txn.transactionId), HalfRecordCodec.encode(txn)).build();
        return append(partition(), batch).handle((v, failure) -> {
            if (failure != null) {
                throw storageError(failure);
            }
            return v;
        });
    }

    /**
     * Offers {@code batch} after every batch offered before it, so a half transaction's states (a check count,
     * then its decision) land in the order they were written even when the ring back-pressures.
     */
    private CompletableFuture<Void> append(PartitionLog target, ByteBuffer batch) {
        return offers.append(target, batch);
    }

    private static HalfTransactionException storageError(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HalfTransactionException h) {
            return h;
        }
        return new HalfTransactionException(HalfError.STORAGE_ERROR, cause.toString());
    }

    private static <T> CompletableFuture<T> failed(HalfError error, String message) {
        return CompletableFuture.failedFuture(new HalfTransactionException(error, message));
    }

    private <T> CompletableFuture<T> onThread(java.util.concurrent.Callable<CompletableFuture<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    action.call().whenComplete((v, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
                                    && failure.getCause() != null ? failure.getCause() : failure);
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the half transaction coordinator is closed"));
        }
        return result;
    }
}
