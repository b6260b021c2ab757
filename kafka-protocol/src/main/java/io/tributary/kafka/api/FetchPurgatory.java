package io.tributary.kafka.api;

import io.tributary.log.PartitionLog;
import io.tributary.pipeline.CommitListener;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where long-polling fetches wait for data: a fetch that found fewer than {@code minBytes} parks
 * here under each of its partitions, and the pipeline's commit stage wakes it when one of them
 * advances its high watermark. Shared by all connections of one listener.
 *
 * <p>Threads: {@link #park}/{@link #unpark} run on event loops, {@link #onCommit} on the commit
 * thread; it only looks up a set and calls {@link Waiter#wake()}, which must hand off at once.
 * A partition's (empty) set stays after its last waiter leaves, so the map grows with the number
 * of partitions ever fetched by a long poll, not with the number of fetches.
 */
public final class FetchPurgatory implements CommitListener {
    /** A parked fetch. */
    public interface Waiter {
        /** New data may be there; called on the commit thread, possibly more than once. */
        void wake();
    }

    private final ConcurrentHashMap<PartitionLog, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    public void park(Waiter waiter, Collection<PartitionLog> partitions) {
        for (PartitionLog partition : partitions) {
            waiting.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(waiter);
        }
    }

    public void unpark(Waiter waiter, Collection<PartitionLog> partitions) {
        for (PartitionLog partition : partitions) {
            Set<Waiter> waiters = waiting.get(partition);
            if (waiters != null) {
                waiters.remove(waiter);
            }
        }
    }

    /** Fetches parked now, over all partitions; for tests and metrics. */
    public int parkedCount() {
        Set<Waiter> all = ConcurrentHashMap.newKeySet();
        waiting.values().forEach(all::addAll);
        return all.size();
    }

    @Override
    public void onCommit(PartitionLog partition, long highWatermark) {
        Set<Waiter> waiters = waiting.get(partition);
        if (waiters == null || waiters.isEmpty()) {
            return;
        }
        for (Waiter waiter : waiters) {
            waiter.wake();
        }
    }
}
