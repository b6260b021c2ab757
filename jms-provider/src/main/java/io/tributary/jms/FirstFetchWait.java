package io.tributary.jms;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A receive-no-wait that returns what the broker already holds for a reader created a moment ago. The first call
 * on a reader no fetch has been answered for yet waits until one is (with records, or without when the broker has
 * none for it), at most a cap, as a client that asks the broker when its buffer is empty does (Artemis). Later
 * calls never wait: by then the reader's fetches bring new records into the client as they arrive. Whether a fetch
 * was answered is the reader's to say ({@link FetchMetrics}); queue receivers ({@link ShareReceiver}) and topic
 * readers ({@link TopicReader}) each hold one.
 */
final class FirstFetchWait {
    /** How long a receive-no-wait polls at a time while it waits for the first fetch's answer. */
    static final long SLICE_MS = 20;

    /** A reader's poll: the next record within {@code timeoutMs}, or null. */
    @FunctionalInterface
    interface Poll<T, E extends Exception> {
        T next(long timeoutMs) throws E;
    }

    /** A fetch has been answered (or has brought records): {@link #next} no longer waits. */
    private volatile boolean answered;

    /**
     * {@code poll.next(0)}, except while no fetch has been answered: then polls in {@link #SLICE_MS} slices until
     * {@code fetchAnswered} says one was (and takes what it brought) or a record comes, at most {@code capMs}.
     */
    <T, E extends Exception> T next(long capMs, BooleanSupplier fetchAnswered, Poll<T, E> poll) throws E {
        T record = poll.next(0);
        if (record != null || answered) {
            answered = true;
            return record;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(capMs);
        while (true) {
            if (fetchAnswered.getAsBoolean()) {
                answered = true;
                return poll.next(0);
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                return null;
            }
            record = poll.next(Math.min(leftMs, SLICE_MS));
            if (record != null) {
                answered = true;
                return record;
            }
        }
    }
}
