package io.tributary.pipeline.internal;

/**
 * Whether a partition still takes appends. The journal closes it for good when the bytes it wrote
 * can no longer be trusted (an fsync failed, or a failed write could not be cut back); from then
 * on every append to the partition fails with the reason given here, until a broker restart
 * recovers the partition from disk.
 *
 * <p>One per partition, held in the sequence stage's per-partition state and carried on each
 * event ({@link IngestEvent#fence}), so neither stage looks anything up to check it. Closed only by
 * the journal thread; read by the sequence and journal threads. The reason is built once, when
 * the fence closes, so a failing append allocates nothing.
 */
final class PartitionFence {
    /** Null while the partition takes appends. */
    private volatile String reason;

    boolean isClosed() {
        return reason != null;
    }

    /** Why appends fail; null while the fence is open. */
    String reason() {
        return reason;
    }

    /**
     * Closes the fence with {@code reason}; true if this call closed it, false if it already was
     * (the first reason stays). Journal thread only.
     */
    boolean close(String reason) {
        if (this.reason != null) {
            return false;
        }
        this.reason = reason;
        return true;
    }
}
