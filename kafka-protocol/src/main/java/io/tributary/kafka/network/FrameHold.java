package io.tributary.kafka.network;

/**
 * One hold on the network frame a request was decoded from, taken with
 * {@link RequestContext#holdFrame()}. While any hold is open the frame's memory stays valid, so
 * views of it in the decoded body (a produce request's record batches) may be handed to another
 * thread. {@link #release()} must be called exactly once per hold, from any thread; a second call
 * would free memory another hold still reads.
 */
@FunctionalInterface
public interface FrameHold {
    /** A hold on nothing, for requests decoded from memory the garbage collector owns. */
    FrameHold NONE = () -> { };

    /** Gives up this hold; the last one returns the frame's memory to the pool. */
    void release();
}
