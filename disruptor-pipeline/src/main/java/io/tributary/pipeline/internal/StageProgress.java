package io.tributary.pipeline.internal;

import com.lmax.disruptor.Sequence;

/**
 * Lets a stage publish its progress at the end of a batch and wake the stage after it, which
 * {@link StageWaitStrategy} parks instead of letting it spin. The Disruptor stores the same
 * sequence again after the handler returns; storing it early is harmless.
 */
final class StageProgress {
    private final StageWaitStrategy waitStrategy;
    private Sequence sequence;

    StageProgress(StageWaitStrategy waitStrategy) {
        this.waitStrategy = waitStrategy;
    }

    /** Called once by the Disruptor (through the handler's {@code setSequenceCallback}) before it starts. */
    void bind(Sequence sequence) {
        this.sequence = sequence;
    }

    /** Everything up to {@code processed} is done: publish it, then wake waiters. */
    void completed(long processed) {
        if (sequence != null) {
            sequence.set(processed);
        }
        waitStrategy.signalAllWhenBlocking();
    }
}
