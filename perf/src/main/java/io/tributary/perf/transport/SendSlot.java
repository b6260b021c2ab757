package io.tributary.perf.transport;

/**
 * The reusable bookkeeping of one in-flight send. A workload takes slots from a pool made with
 * {@link ProducerDriver#newSlot(SendListener)}, stamps them, passes them to
 * {@link ProducerDriver#send}, and gets them back through its {@link SendListener} — so sending
 * allocates nothing of its own per record. Transports subclass it to carry their own callback.
 */
public abstract class SendSlot {

    private final SendListener listener;

    /** Due time of the send (nanoseconds), set by the workload. */
    public long dueNs;
    /** Actual time of the send (nanoseconds), set by the workload. */
    public long sentNs;
    /** Payload bytes of the record, set by the workload. */
    public int bytes;

    /** A slot that reports to {@code listener}. */
    protected SendSlot(SendListener listener) {
        this.listener = listener;
    }

    /** Called by the transport exactly once per send: {@code error} is null on success. */
    protected final void complete(Exception error) {
        listener.onComplete(this, error);
    }
}
