package io.tributary.transactions;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * When a coordinator call runs: on the coordinator thread ({@link #call}), after the earlier calls of the
 * same transactional id ({@link #inTurn}), and after the id's last transaction has been ended
 * ({@link #afterEnding}). Exists because these orderings are what a Kafka broker gets from reading one
 * request of a connection at a time and from its clients retrying CONCURRENT_TRANSACTIONS; here calls of
 * one id may arrive from several threads and the ending of a transaction outlives its EndTxn, so the order
 * is kept explicitly, apart from what each call does.
 */
final class TransactionalIdTurns {
    /** How long a call waits for the previous transaction's markers before it is told CONCURRENT_TRANSACTIONS. */
    static final long ENDING_WAIT_MS = 5_000;

    private final ScheduledExecutorService thread;
    private final Map<String, TransactionMetadata> transactions;
    /** Per transactional id, its last call not yet completed ({@link #inTurn}); coordinator thread. */
    private final Map<String, CompletableFuture<?>> inFlight = new HashMap<>();

    TransactionalIdTurns(CoordinatorContext context) {
        this.thread = context.thread();
        this.transactions = context.transactions();
    }

    /** Runs {@code work} on the coordinator thread; a failed future once the thread is shut down. */
    <T> CompletableFuture<T> call(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The usual turn of a call that opens or extends a transaction: on the coordinator thread, after the id's
     * earlier calls ({@link #inTurn}) and after its last transaction has ended ({@link #afterEnding}).
     */
    <T> CompletableFuture<T> afterEndingInTurn(String transactionalId, Supplier<CompletableFuture<T>> work) {
        return call(() -> inTurn(transactionalId, () -> afterEnding(transactionalId, work))).thenCompose(f -> f);
    }

    /**
     * Runs {@code work} once every earlier call for {@code transactionalId} has completed, as a Kafka broker
     * does by reading one request of a connection at a time: an EndTxn sent right behind an
     * AddPartitionsToTxn that waits for the last transaction's markers must not overtake it (librdkafka's
     * abort right after a commit met INVALID_TXN_STATE so). Coordinator thread.
     */
    <T> CompletableFuture<T> inTurn(String transactionalId, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<?> previous = inFlight.get(transactionalId);
        CompletableFuture<T> result = previous == null || previous.isDone()
                ? work.get()
                : previous.handle((ignored, failure) -> null).thenComposeAsync(ignored -> work.get(), thread);
        if (!result.isDone()) {
            inFlight.put(transactionalId, result);
            result.whenCompleteAsync((ignored, failure) -> inFlight.remove(transactionalId, result), thread);
        }
        return result;
    }

    /**
     * Runs {@code work} now, or, while the id's last transaction is being ended (its markers written),
     * once it has ended; after {@link #ENDING_WAIT_MS} of waiting {@code work} runs all the same and
     * meets the preparing state (CONCURRENT_TRANSACTIONS). Coordinator thread.
     */
    <T> CompletableFuture<T> afterEnding(String transactionalId, Supplier<CompletableFuture<T>> work) {
        TransactionMetadata txn = transactions.get(transactionalId);
        if (txn == null || txn.ending == null) {
            return work.get();
        }
        return txn.ending.copy().completeOnTimeout(null, ENDING_WAIT_MS, TimeUnit.MILLISECONDS)
                .thenComposeAsync(ended -> work.get(), thread);
    }
}
