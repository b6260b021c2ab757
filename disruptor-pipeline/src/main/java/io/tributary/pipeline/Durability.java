package io.tributary.pipeline;

/**
 * When an append is acknowledged relative to the device, chosen per {@link IngestPipeline#offer offer}.
 */
public enum Durability {
    /**
     * As the partition's flush policy says: a {@code sync} topic's appends are fsynced before they complete, an
     * {@code async} topic's are left to the log's periodic flusher.
     */
    FLUSH_POLICY,
    /**
     * Fsynced before the append completes, whatever the flush policy: the journal stage forces the partition at
     * the end of its ring batch, once for every append of the batch (group commit). What a JMS PERSISTENT send
     * asks for.
     */
    FSYNC
}
