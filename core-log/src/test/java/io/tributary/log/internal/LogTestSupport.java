package io.tributary.log.internal;

import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.testing.TestBatches;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;

/** Opening logs and appending committed batches in tests. */
final class LogTestSupport {
    private LogTestSupport() {
    }

    static DefaultLogManager open(Path dir, Clock clock) {
        return DefaultLogManager.open(LogManagerConfig.builder(dir).clock(clock)
                .retentionCheckIntervalMs(3_600_000).fileDeleteDelayMs(3_600_000).build(), ChannelFactory.DEFAULT);
    }

    static DefaultLogManager open(Path dir) {
        return open(dir, Clock.systemUTC());
    }

    /** Appends one batch at the log end, commits it (high watermark) and returns its bytes. */
    static ByteBuffer appendCommitted(PartitionLog log, int records, long timestamp) throws IOException {
        return appendCommitted(log, records, timestamp, 10);
    }

    static ByteBuffer appendCommitted(PartitionLog log, int records, long timestamp, int valueBytes)
            throws IOException {
        ByteBuffer batch = TestBatches.batch(log.logEndOffset(), records, timestamp, valueBytes);
        log.append(batch);
        log.highWatermark(log.logEndOffset());
        return batch;
    }
}
