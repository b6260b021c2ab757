package io.tributary.log.internal;

import java.time.Clock;

/**
 * What every partition of one log manager shares: how files are opened, the clock (injected in
 * tests for age-based roll and retention), where retired segments go to be deleted later, and how
 * a raised log start offset is made durable ({@link LogStartOffsetCheckpoint}).
 */
record LogServices(ChannelFactory files, Clock clock, SegmentReaper reaper, StartOffsetRecorder startOffsets) {

    /** Persists every partition's log start offset; called after {@code deleteRecordsBefore} raised one. */
    @FunctionalInterface
    interface StartOffsetRecorder {
        void record() throws java.io.IOException;
    }
}
