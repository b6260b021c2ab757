package io.tributary.pipeline;

import io.tributary.log.PartitionLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends offered to an {@link IngestPipeline} in the order they were asked for, for a service that writes
 * its state records from one thread without waiting for each to be stored (a coordinator writing a key's
 * next state while the previous one is still in flight). A batch the pipeline back-pressures holds back
 * every later one until it is accepted, retried on the service's thread after 1, 2, 4 … up to
 * {@code maxRetryMs} ms, so a full ring can never let a newer state of a key land before an older one (the
 * last record per key is what a restart, and the log cleaner, keep).
 *
 * <p>{@link #offer} also tells when the batch is in the ring: anything offered to the pipeline after that,
 * from any thread, is sequenced, written and committed after it (the stages keep ring order), so a caller
 * may write what depends on the batch without waiting for it to be stored.
 *
 * <p>Confined to the thread of the given executor: {@link #append} and {@link #offer} must be called on it.
 */
public final class OrderedOffers {
    private final IngestPipeline ingest;
    private final ScheduledExecutorService thread;
    private final long maxRetryMs;
    private final ArrayDeque<Pending> backlog = new ArrayDeque<>();

    public OrderedOffers(IngestPipeline ingest, ScheduledExecutorService thread, long maxRetryMs) {
        this.ingest = ingest;
        this.thread = thread;
        this.maxRetryMs = maxRetryMs;
    }

    /**
     * Offers {@code batch} to {@code target} after every batch appended before it; completes when the
     * pipeline has stored it, exceptionally with an {@link IOException} when it could not.
     */
    public CompletableFuture<Void> append(PartitionLog target, ByteBuffer batch) {
        return append(target, batch, Durability.FLUSH_POLICY);
    }

    /** As {@link #append(PartitionLog, ByteBuffer)}, stored with {@code durability}. */
    public CompletableFuture<Void> append(PartitionLog target, ByteBuffer batch, Durability durability) {
        return offer(target, batch, durability).stored();
    }

    /**
     * As {@link #append(PartitionLog, ByteBuffer, Durability)}, and says when the batch is in the ring. Its
     * {@link Offered#inRing()} completes on this thread: at once when the ring took the batch right away,
     * later when the backlog drains, exceptionally (as {@code stored}) when the pipeline is closed.
     */
    public Offered offer(PartitionLog target, ByteBuffer batch, Durability durability) {
        Offered offered = new Offered(new CompletableFuture<>(), new CompletableFuture<>());
        backlog.add(new Pending(target, batch, durability, offered));
        if (backlog.size() == 1) {
            drain(1);
        }
        return offered;
    }

    /** Offers the backlog in order until it is empty or the ring is full (then retries after {@code retryMs}). */
    private void drain(long retryMs) {
        while (!backlog.isEmpty()) {
            Pending next = backlog.peek();
            CompletableFuture<Void> stored = next.offered().stored();
            OfferResult offered = ingest.offer(next.target(), next.batch(), next.durability(), result -> {
                if (result.error() == AppendError.NONE) {
                    stored.complete(null);
                } else {
                    stored.completeExceptionally(new IOException("cannot write to " + next.target() + ": "
                            + result.error() + " " + result.message()));
                }
            });
            if (offered == OfferResult.BACK_PRESSURED) {
                thread.schedule(() -> drain(Math.min(retryMs * 2, maxRetryMs)), retryMs, TimeUnit.MILLISECONDS);
                return;
            }
            backlog.poll();
            if (offered == OfferResult.CLOSED) {
                IOException closed = new IOException("the ingest pipeline is closed");
                stored.completeExceptionally(closed);
                next.offered().inRing().completeExceptionally(closed);
            } else {
                next.offered().inRing().complete(null);
            }
        }
    }

    /**
     * One batch of {@link #offer}: {@code inRing} once the pipeline took it (later offers come after it),
     * {@code stored} once it is stored (exceptionally with an {@link IOException} when it could not be).
     */
    public record Offered(CompletableFuture<Void> inRing, CompletableFuture<Void> stored) {
    }

    private record Pending(PartitionLog target, ByteBuffer batch, Durability durability, Offered offered) {
    }
}
