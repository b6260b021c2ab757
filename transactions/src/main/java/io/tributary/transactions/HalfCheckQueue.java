package io.tributary.transactions;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Hands half-transaction check requests to the members of a producer group: to a member waiting in a long
 * poll, or, if none (alive) waits, queued for the next one to poll, at most one queued per transaction.
 *
 * <p>Exists apart from {@link HalfTransactionCoordinator} because it is the rendezvous of two independent
 * timings, the coordinator's check timer ({@link #ask}) and the members' polls ({@link #poll}), and knows
 * nothing of how a half transaction is stored or decided. Used on the coordinator thread only.
 *
 * <p>A waiting poll's max-wait timer is cancelled when a check answers it first, so under many polls the
 * scheduler holds one task per poll still waiting, not one per poll ever made; the scheduler must drop
 * cancelled tasks at once ({@link java.util.concurrent.ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}),
 * as {@link HalfTransactionCoordinator}'s does.
 */
final class HalfCheckQueue {
    private final ScheduledExecutorService thread;
    private final Map<String, Deque<HalfCheckRequest>> queuedChecks = new HashMap<>();
    private final Map<String, Deque<WaitingPoll>> waitingPolls = new HashMap<>();

    HalfCheckQueue(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    /**
     * A member's long poll: the checks queued for {@code producerGroup} now, else the next one asked, else
     * empty after {@code maxWaitMs}. While it waits, a check is not handed to it once {@code alive} says false.
     */
    CompletableFuture<List<HalfCheckRequest>> poll(String producerGroup, long maxWaitMs, BooleanSupplier alive) {
        Deque<HalfCheckRequest> queued = queuedChecks.remove(producerGroup);
        if (queued != null && !queued.isEmpty()) {
            return CompletableFuture.completedFuture(List.copyOf(queued));
        }
        WaitingPoll poll = new WaitingPoll(alive);
        waitingPolls.computeIfAbsent(producerGroup, g -> new ArrayDeque<>()).add(poll);
        ScheduledFuture<?> timeout = thread.schedule(() -> expire(producerGroup, poll),
                Math.max(0L, maxWaitMs), TimeUnit.MILLISECONDS);
        poll.whenComplete((checks, failure) -> timeout.cancel(false));
        return poll;
    }

    /** {@code poll}'s wait ran out: it answers empty, and its group's entry goes once no poll waits there. */
    private void expire(String producerGroup, WaitingPoll poll) {
        Deque<WaitingPoll> waiting = waitingPolls.get(producerGroup);
        if (waiting != null && waiting.remove(poll) && waiting.isEmpty()) {
            waitingPolls.remove(producerGroup);
        }
        poll.complete(List.of());
    }

    /** Hands {@code check} to the first live waiting poll of its group, else queues it (replacing an older one). */
    void ask(HalfCheckRequest check) {
        Deque<WaitingPoll> waiting = waitingPolls.get(check.producerGroup());
        while (waiting != null && !waiting.isEmpty()) {
            WaitingPoll poll = waiting.poll();
            if (!poll.alive.getAsBoolean()) {
                poll.complete(List.of());
            } else if (poll.complete(List.of(check))) {
                return;
            }
        }
        Deque<HalfCheckRequest> queued = queuedChecks.computeIfAbsent(check.producerGroup(), g -> new ArrayDeque<>());
        queued.removeIf(c -> c.transactionId().equals(check.transactionId()));
        queued.add(check);
    }

    /** A member's poll, parked until a check comes or its wait runs out. */
    private static final class WaitingPoll extends CompletableFuture<List<HalfCheckRequest>> {
        final BooleanSupplier alive;

        WaitingPoll(BooleanSupplier alive) {
            this.alive = alive;
        }
    }
}
