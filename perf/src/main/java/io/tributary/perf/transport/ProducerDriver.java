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

    /** Blocks until every record sent so far is completed. */
    void flush();

    /** Flushes and closes. */
    @Override
    void close();
}
