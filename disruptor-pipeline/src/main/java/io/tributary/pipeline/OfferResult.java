package io.tributary.pipeline;

/** Outcome of {@link IngestPipeline#offer}; back-pressure is a value, not an exception. */
public enum OfferResult {
    /** The callback will be called exactly once. */
    ACCEPTED,
    /** The ring is full; nothing was done and the callback will not be called. */
    BACK_PRESSURED,
    /** The pipeline is shutting down; nothing was done and the callback will not be called. */
    CLOSED
}
