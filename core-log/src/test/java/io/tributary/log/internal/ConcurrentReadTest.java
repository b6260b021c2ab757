package io.tributary.log.internal;

import io.tributary.log.LogSlice;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;

/** Readers on other threads only ever see whole, valid batches below the high watermark. */
@Timeout(20)
class ConcurrentReadTest {
    @TempDir
    Path dir;

    @Test
    void readersSeeOnlyWholeCommittedBatchesWhileTheWriterAppendsRollsAndRetentionDeletes() throws Exception {
        try (DefaultLogManager manager = LogTestSupport.open(dir)) {
            PartitionLog log = manager.createTopic("t", 1, Map.of("segment.bytes", "2000",
                    "index.interval.bytes", "200", "retention.bytes", "20000", "flush.ms", "5")).partition(0);
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong batchesChecked = new AtomicLong();
            Thread[] readers = new Thread[2];
            for (int r = 0; r < readers.length; r++) {
                readers[r] = new Thread(() -> {
                    try {
                        while (!done.get()) {
                            batchesChecked.addAndGet(readAndCheck(log));
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "reader-" + r);
                readers[r].start();
            }
            Thread retention = new Thread(() -> {
                try {
                    while (!done.get()) {
                        manager.checkRetentionNow();
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, e);
                }
            }, "retention");
            retention.start();

            for (int i = 0; i < 1500; i++) {
                appendCommitted(log, 1 + i % 4, i);
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            retention.join();

            assertThat(failure.get()).isNull();
            assertThat(batchesChecked.get()).isPositive();
            assertThat(log.logStartOffset()).isPositive();
        }
    }

    private static long readAndCheck(PartitionLog log) throws Exception {
        long start = log.logStartOffset();
        long hw = log.highWatermark();
        if (hw <= start) {
            return 0;
        }
        long offset = ThreadLocalRandom.current().nextLong(start, hw);
        LogSlice slice;
        byte[] bytes;
        try {
            slice = log.read(offset, 1000, hw, true);
            bytes = Slices.bytes(slice);
        } catch (OffsetOutOfRangeException | java.nio.channels.ClosedChannelException e) {
            return 0;
        }
        assertThat(slice.firstOffset()).isLessThanOrEqualTo(offset);
        assertThat(slice.lastOffset()).isGreaterThanOrEqualTo(offset).isLessThan(hw);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        RecordBatchHeader header = new RecordBatchHeader();
        long expected = slice.firstOffset();
        long batches = 0;
        for (int p = 0; p < bytes.length; p += header.sizeInBytes()) {
            header.wrap(buffer, p);
            assertThat(header.baseOffset()).isEqualTo(expected);
            assertThat(header.isCrcValid()).isTrue();
            expected = header.lastOffset() + 1;
            batches++;
        }
        assertThat(expected - 1).isEqualTo(slice.lastOffset());
        return batches;
    }
}
