package io.tributary.perf.transport;

/** Told when a send completes; called on a transport thread, must not block. */
@FunctionalInterface
public interface SendListener {

    /** {@code slot} completed, successfully if {@code error} is null; the slot may be reused after. */
    void onComplete(SendSlot slot, Exception error);
}
