package io.tributary.perf.transport;

/** One producer client. Used by a single thread (its workload loop), completions on transport threads. */
public interface ProducerDriver extends AutoCloseable {

    /** A new slot for this driver that reports completions to {@code listener}. */
    SendSlot newSlot(SendListener listener);

    /**
     * Sends one record ({@code key} may be null). The transport copies {@code key} and
     * {@code value} before returning, so the caller may reuse the arrays; it may block while its
     * buffers are full (that wait counts against latency). Completion comes through {@code slot}.
     */
    void send(byte[] key, byte[] value, SendSlot slot);

    /**
     * Opens a transaction: the records sent until {@link #commitTransaction()} become visible to
     * read-committed consumers together. Only for a producer made with a transactional id; the
     * default refuses, for transports without transactions.
     */
    default void beginTransaction() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no transactions");
    }

    /**
     * Commits the open transaction, blocking until every record sent in it is acknowledged and the
     * broker has answered the commit. Throws {@link TransportException} if the commit fails.
     */
    default void commitTransaction() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no transactions");
    }

    /** Blocks until every record sent so far is completed. */
    void flush();

    /** Flushes and closes. */
    @Override
    void close();
}
