package io.tributary.pipeline;

/** Completion of one {@link IngestPipeline#offer}. */
@FunctionalInterface
public interface AppendCallback {
    /**
     * Called once, on the commit thread (or on the offering thread for a batch rejected by
     * validation). Implementations hand off to their own thread; they must not block.
     */
    void onComplete(AppendResult result);
}
