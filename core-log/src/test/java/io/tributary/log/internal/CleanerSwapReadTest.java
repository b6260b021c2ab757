package io.tributary.log.internal;

import io.tributary.log.LogSlice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read during the cleaner's swap: the merged segment is already in the map while a segment it
 * replaces is not yet removed. Reading the merged segment with that segment's base offset as its
 * successor's would fail the read path's header check on healthy batches (and mark them damaged);
 * the reader must wait for the swap to finish and pair the merged segment with its real successor.
 */
@Timeout(30)
class CleanerSwapReadTest {
    @TempDir
    Path dir;
    private final List<LogSegment> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (LogSegment segment : opened) {
            segment.close();
        }
    }

    @Test
    void aReadDuringASwapSeesTheMergedSegmentWithItsRealSuccessor() throws Exception {
        // Given segments [0..2] and [3..5], and the cleaner's merged segment holding both
        LogSegment first = segment("old0", 0, KeyedBatches.batch(0, 1_000, "a=1", "b=1", "c=1"));
        LogSegment second = segment("old3", 3, KeyedBatches.batch(3, 2_000, "a=2", "b=2", "c=2"));
        LogSegment merged = segment("merged", 0, KeyedBatches.batch(0, 1_000, "a=1", "b=1", "c=1"),
                KeyedBatches.batch(3, 2_000, "a=2", "b=2", "c=2"));
        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        segments.put(0L, first);
        segments.put(3L, second);
        SegmentMapVersion changes = new SegmentMapVersion();
        PartitionReader reader = new PartitionReader(segments, changes);

        // When the swap is halfway (merged segment in, the segment at 3 still there) as a reader starts
        changes.beginChange();
        segments.put(0L, merged);
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread read = new Thread(() -> {
            started.countDown();
            try {
                outcome.set(reader.read(0, 1 << 20, 6, true));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "reader");
        read.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        read.join(300);
        boolean waitedForTheSwap = read.isAlive() && outcome.get() == null;
        segments.remove(3L);
        changes.endChange();
        read.join(10_000);

        // Then the reader waited, and read both batches from the merged segment without any damage recorded
        assertThat(waitedForTheSwap).as("the reader waits while the swap is under way").isTrue();
        assertThat(outcome.get()).isInstanceOf(LogSlice.class);
        LogSlice slice = (LogSlice) outcome.get();
        assertThat(slice.firstOffset()).isZero();
        assertThat(slice.lastOffset()).isEqualTo(5);
        assertThat(merged.damage()).isEmpty();
    }

    private LogSegment segment(String name, long baseOffset, ByteBuffer... batches) throws Exception {
        Path sub = Files.createDirectories(dir.resolve(name));
        LogSegment segment = LogSegment.create(sub, baseOffset, ChannelFactory.DEFAULT);
        opened.add(segment);
        for (ByteBuffer batch : batches) {
            segment.append(batch, 4096, 0);
        }
        return segment;
    }
}
