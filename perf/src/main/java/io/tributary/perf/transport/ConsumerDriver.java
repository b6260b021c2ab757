package io.tributary.perf.transport;

import java.time.Duration;

/** One consumer client, used by a single thread. */
public interface ConsumerDriver extends AutoCloseable {

    /**
     * Waits up to {@code timeout} until this consumer has its partitions (joining the group if
     * it has one) and is positioned; returns false on timeout.
     */
    boolean awaitAssignment(Duration timeout);

    /** Fetches what is available within {@code timeout}, hands each record to {@code handler}; returns how many. */
    int poll(Duration timeout, RecordHandler handler);

    /** Leaves the group and closes. */
    @Override
    void close();
}
