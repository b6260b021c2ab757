package io.tributary.kafka.api;

import io.netty.util.concurrent.ScheduledFuture;
import io.tributary.kafka.network.FrameHold;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendCallback;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One produce request's appends, all on the connection's event loop (pipeline callbacks hop back
 * to it).
 *
 * <ul>
 *   <li>Back-pressure: an offer that finds the ring full is retried on the event loop after
 *       {@value #FIRST_RETRY_MS} ms, doubling up to {@value #MAX_RETRY_MS} ms, until the request's
 *       timeout; then the partition answers REQUEST_TIMED_OUT. A closed pipeline (shutdown) answers
 *       NOT_LEADER_OR_FOLLOWER, which clients retry after refreshing metadata.</li>
 *   <li>Timeout: partitions not complete after the request's {@code timeoutMs} (or
 *       {@value #DEFAULT_TIMEOUT_MS} ms when it is not positive) answer REQUEST_TIMED_OUT; their
 *       data may still be written, as with Kafka.</li>
 *   <li>acks=0: the request keeps its place in the response order until its appends finish, then
 *       sends nothing; if any partition failed the connection is closed instead, which is how Kafka
 *       tells an acks=0 producer that something went wrong.</li>
 *   <li>Memory: the record batches are views of the request's network frame. Each partition takes a
 *       {@link FrameHold} before its first offer and gives it up exactly once: when the pipeline's
 *       callback runs (on the commit thread, before hopping back, so a closed connection or a
 *       stopped event loop cannot leak it), or, if the pipeline never took the batches, when the
 *       offer fails or a retry finds the request already finished.</li>
 * </ul>
 */
final class ProduceOperation {
    static final long FIRST_RETRY_MS = 1;
    static final long MAX_RETRY_MS = 64;
    static final long DEFAULT_TIMEOUT_MS = 30_000;

    private final RequestContext context;
    private final IngestPipeline ingest;
    private final short acks;
    private final Durability durability;
    private final long timeoutMs;
    private final long deadlineNanos;
    private final ProduceResponseData response = new ProduceResponseData();
    private final List<Append> appends = new ArrayList<>();
    private int outstanding;
    private boolean finished;
    private ScheduledFuture<?> timeout;

    ProduceOperation(RequestContext context, IngestPipeline ingest, short acks, int timeoutMs) {
        this(context, ingest, acks, timeoutMs, Durability.FLUSH_POLICY);
    }

    /** {@code durability}: how every append of the request is acknowledged ({@link ProduceDurability}). */
    ProduceOperation(RequestContext context, IngestPipeline ingest, short acks, int timeoutMs, Durability durability) {
        this.context = context;
        this.ingest = ingest;
        this.acks = acks;
        this.durability = durability;
        this.timeoutMs = timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.timeoutMs);
    }

    ProduceResponseData response() {
        return response;
    }

    void add(PartitionLog partition, ByteBuffer batches, PartitionProduceResponse target) {
        add(partition, batches, target, null);
    }

    /**
     * As {@link #add(PartitionLog, ByteBuffer, PartitionProduceResponse)}; {@code stored}, read when the append
     * has succeeded, is what the partition answers instead of success when it is not NONE: the outcome of
     * storing state written ahead of the batches (the transaction's added partition), which the pipeline
     * completes before the append.
     */
    void add(PartitionLog partition, ByteBuffer batches, PartitionProduceResponse target, Supplier<Errors> stored) {
        appends.add(new Append(partition, batches, target, stored));
    }

    void start() {
        outstanding = appends.size();
        if (outstanding == 0) {
            finish();
            return;
        }
        for (Append append : appends) {
            append.hold = context.holdFrame();
        }
        timeout = context.schedule(this::onTimeout, timeoutMs, TimeUnit.MILLISECONDS);
        for (Append append : appends) {
            offer(append, FIRST_RETRY_MS);
        }
    }

    private void offer(Append append, long retryMs) {
        if (finished) {
            append.releaseHold();
            return;
        }
        OfferResult result = ingest.offer(append.partition, append.batches, durability, append);
        switch (result) {
            case ACCEPTED -> { }
            case BACK_PRESSURED -> {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    append.releaseHold();
                    fail(append, Errors.REQUEST_TIMED_OUT, "ingest pipeline full until the request timed out");
                } else {
                    retry(append, retryMs);
                }
            }
            case CLOSED -> {
                append.releaseHold();
                fail(append, Errors.NOT_LEADER_OR_FOLLOWER, "broker shutting down");
            }
        }
    }

    private void retry(Append append, long retryMs) {
        long next = Math.min(retryMs * 2, MAX_RETRY_MS);
        try {
            context.schedule(() -> offer(append, next), retryMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            append.releaseHold();
            fail(append, Errors.NOT_LEADER_OR_FOLLOWER, "broker shutting down");
        }
    }

    private void complete(Append append, AppendResult result) {
        if (finished || append.done) {
            return;
        }
        Errors error = AppendErrors.toKafka(result.error());
        if (error == Errors.NONE && append.stored != null && append.stored.get() != Errors.NONE) {
            fail(append, append.stored.get(), "the transaction's state was not stored");
            return;
        }
        append.target.setErrorCode(error.code())
                .setBaseOffset(result.baseOffset())
                .setLogAppendTimeMs(result.logAppendTime())
                .setLogStartOffset(result.logStartOffset())
                .setErrorMessage(result.message());
        done(append);
    }

    private void fail(Append append, Errors error, String message) {
        append.target.setErrorCode(error.code()).setErrorMessage(message);
        done(append);
    }

    private void done(Append append) {
        append.done = true;
        if (--outstanding == 0) {
            finish();
        }
    }

    private void onTimeout() {
        for (Append append : appends) {
            if (!append.done) {
                append.done = true;
                append.target.setErrorCode(Errors.REQUEST_TIMED_OUT.code())
                        .setErrorMessage("append not committed within " + timeoutMs + " ms");
            }
        }
        outstanding = 0;
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (acks != 0) {
            context.respond(response);
            return;
        }
        String failure = firstFailure();
        if (failure == null) {
            context.respondNothing();
        } else {
            context.closeConnection("acks=0 produce failed: " + failure);
        }
    }

    private String firstFailure() {
        for (var topic : response.responses()) {
            for (PartitionProduceResponse partition : topic.partitionResponses()) {
                if (partition.errorCode() != Errors.NONE.code()) {
                    return (topic.name() != null ? topic.name() : topic.topicId()) + "-" + partition.index()
                            + " " + Errors.forCode(partition.errorCode());
                }
            }
        }
        return null;
    }

    /** One partition's append; also its pipeline callback, so an offer allocates nothing. */
    private final class Append implements AppendCallback {
        final PartitionLog partition;
        final ByteBuffer batches;
        final PartitionProduceResponse target;
        /** Null, or what answers instead of a successful append (see {@link ProduceOperation#add}). */
        final Supplier<Errors> stored;
        FrameHold hold;
        boolean done;

        Append(PartitionLog partition, ByteBuffer batches, PartitionProduceResponse target, Supplier<Errors> stored) {
            this.partition = partition;
            this.batches = batches;
            this.target = target;
            this.stored = stored;
        }

        /** Commit thread (or the offering thread on a validation failure): the pipeline is done with the batches. */
        @Override
        public void onComplete(AppendResult result) {
            releaseHold();
            context.execute(() -> complete(this, result));
        }

        /** Called once per hold: by {@link #onComplete}, or on the event loop when the pipeline never took the batches. */
        void releaseHold() {
            FrameHold h = hold;
            if (h == null) {
                throw new IllegalStateException("frame hold of " + partition + " released twice");
            }
            hold = null;
            h.release();
        }
    }
}
