package io.tributary.log;

/**
 * What the log cleaner may learn from the layers above it about transactional data, without
 * knowing transactions itself. Without hints ({@link #NONE}) the cleaner does what Kafka's does
 * where no transaction was aborted: transactional batches are compacted like any others and
 * control batches (commit and abort markers) are kept.
 *
 * <p>Called on cleaner threads; implementations must be thread-safe and must not block for long.
 */
public interface CleanerHints {
    /** No transaction state: nothing is aborted and every control batch stays. */
    CleanerHints NONE = new CleanerHints() {
        @Override
        public boolean isAborted(String topic, int partition, long producerId, long batchBaseOffset) {
            return false;
        }

        @Override
        public boolean canRemoveMarker(String topic, int partition, long markerOffset) {
            return false;
        }
    };

    /**
     * Whether the transactional batch of {@code producerId} at {@code batchBaseOffset} belongs to an
     * aborted transaction; its records are then removed by the next clean.
     */
    boolean isAborted(String topic, int partition, long producerId, long batchBaseOffset);

    /**
     * Whether the control batch at {@code markerOffset} may be removed: its transaction's data is
     * gone and every reader that needed the marker is past it.
     */
    boolean canRemoveMarker(String topic, int partition, long markerOffset);

    /**
     * The offset below which no transaction of the partition is open (its last stable offset): the
     * cleaner leaves alone every segment that reaches it, so an open transaction's records are
     * neither compacted nor made to shadow older values before their outcome is known. The default,
     * {@code Long.MAX_VALUE}, bounds nothing (the high watermark still does).
     */
    default long stableOffset(String topic, int partition) {
        return Long.MAX_VALUE;
    }
}
