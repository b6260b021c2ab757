package io.tributary.log.internal;

import io.tributary.log.LogSlice;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.TimestampOffset;
import io.tributary.log.testing.MutableClock;
import io.tributary.log.testing.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class DefaultPartitionLogTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    private DefaultLogManager manager;

    private PartitionLog partition(Map<String, String> overrides) {
        manager = LogTestSupport.open(dir, clock);
        return manager.createTopic("t", 1, overrides).partition(0);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void appendedBatchesReadBackByteForByte() throws Exception {
        PartitionLog log = partition(Map.of());
        ByteBuffer a = appendCommitted(log, 3, 100);
        ByteBuffer b = appendCommitted(log, 1, 101);
        ByteBuffer c = appendCommitted(log, 5, 102);

        LogSlice slice = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false);

        assertThat(Slices.bytes(slice)).isEqualTo(Slices.bytes(TestBatches.concat(a, b, c)));
        assertThat(slice.firstOffset()).isZero();
        assertThat(slice.lastOffset()).isEqualTo(8);
        assertThat(log.logEndOffset()).isEqualTo(9);
        assertThat(log.sizeInBytes()).isEqualTo(a.remaining() + b.remaining() + c.remaining());
    }

    @Test
    void readFromTheMiddleOfABatchStartsWithThatBatch() throws Exception {
        PartitionLog log = partition(Map.of("index.interval.bytes", "0"));
        appendCommitted(log, 5, 100);
        ByteBuffer second = appendCommitted(log, 5, 100);
        ByteBuffer third = appendCommitted(log, 5, 100);

        LogSlice slice = log.read(7, Integer.MAX_VALUE, Long.MAX_VALUE, false);

        assertThat(slice.firstOffset()).isEqualTo(5);
        assertThat(Slices.bytes(slice)).isEqualTo(Slices.bytes(TestBatches.concat(second, third)));
    }

    @Test
    void byteLimitKeepsWholeBatchesOnly() throws Exception {
        PartitionLog log = partition(Map.of());
        ByteBuffer a = appendCommitted(log, 2, 100);
        ByteBuffer b = appendCommitted(log, 2, 100);
        appendCommitted(log, 2, 100);

        LogSlice slice = log.read(0, a.remaining() + b.remaining() + 10, Long.MAX_VALUE, false);

        assertThat(slice.size()).isEqualTo(a.remaining() + b.remaining());
        assertThat(slice.lastOffset()).isEqualTo(3);
    }

    @Test
    void firstBatchLargerThanTheLimitComesWholeOnlyWithMinOneBatch() throws Exception {
        PartitionLog log = partition(Map.of());
        ByteBuffer big = appendCommitted(log, 4, 100, 500);

        LogSlice kip74 = log.read(0, 100, Long.MAX_VALUE, true);
        LogSlice strict = log.read(0, 100, Long.MAX_VALUE, false);

        assertThat(Slices.bytes(kip74)).isEqualTo(Slices.bytes(big));
        assertThat(strict.isEmpty()).isTrue();
    }

    @Test
    void readsStopAtTheHighWatermarkAndMaxOffset() throws Exception {
        PartitionLog log = partition(Map.of());
        ByteBuffer a = appendCommitted(log, 2, 100);
        appendCommitted(log, 2, 100);
        log.append(TestBatches.batch(4, 2, 100));

        assertThat(log.read(log.highWatermark(), 1000, Long.MAX_VALUE, true)).isEqualTo(LogSlice.EMPTY);
        assertThat(log.read(5, 1000, Long.MAX_VALUE, true).isEmpty()).isTrue();
        assertThat(log.read(0, 10_000, Long.MAX_VALUE, true).lastOffset()).isEqualTo(3);
        assertThat(Slices.bytes(log.read(0, 10_000, 2, true))).isEqualTo(Slices.bytes(a));
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRange() throws Exception {
        PartitionLog log = partition(Map.of());
        appendCommitted(log, 2, 100);

        assertThatThrownBy(() -> log.read(3, 1000, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .satisfies(e -> assertThat(((OffsetOutOfRangeException) e).logEndOffset()).isEqualTo(2));
        assertThatThrownBy(() -> log.read(-1, 1000, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.read(2, 1000, Long.MAX_VALUE, true).isEmpty()).isTrue();
    }

    @Test
    void appendRejectsBatchesThatDoNotContinueTheLog() throws Exception {
        PartitionLog log = partition(Map.of());
        appendCommitted(log, 2, 100);

        assertThatThrownBy(() -> log.append(TestBatches.batch(5, 1, 100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("continue at 2");
        ByteBuffer torn = TestBatches.batch(2, 1, 100);
        torn.limit(torn.limit() - 1);
        assertThatThrownBy(() -> log.append(torn)).isInstanceOf(IllegalArgumentException.class);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void flushForcesOnlyWhenSomethingWasWritten() throws Exception {
        PartitionLog log = partition(Map.of("flush.policy", "sync"));
        appendCommitted(log, 2, 100);

        log.flush();
        log.flush();

        assertThat(log.flushCount()).isEqualTo(1);
    }

    @Test
    void flushForcesSegmentsRolledSinceTheLastFlush() throws Exception {
        int batchSize = TestBatches.batch(0, 1, 100).remaining();
        PartitionLog log = partition(Map.of("segment.bytes", Integer.toString(batchSize), "flush.policy", "sync"));
        appendCommitted(log, 1, 100);
        appendCommitted(log, 1, 100);
        appendCommitted(log, 1, 100);

        log.flush();

        assertThat(segments(log)).hasSize(3);
        assertThat(log.flushCount()).as("one fsync per data file written since the last flush").isEqualTo(3);
    }

    @Test
    void rollsWhenTheSegmentWouldExceedSegmentBytes() throws Exception {
        int batchSize = TestBatches.batch(0, 1, 100).remaining();
        PartitionLog log = partition(Map.of("segment.bytes", Integer.toString(2 * batchSize)));
        List<ByteBuffer> batches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batches.add(appendCommitted(log, 1, 100));
        }

        LogSlice first = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false);

        assertThat(segments(log)).extracting(LogSegment::baseOffset).containsExactly(0L, 2L, 4L);
        assertThat(first.lastOffset()).as("a slice stays inside one segment").isEqualTo(1);
        assertThat(Slices.readAll(log, 0)).isEqualTo(Slices.bytes(TestBatches.concat(batches.toArray(ByteBuffer[]::new))));
    }

    @Test
    void batchLargerThanSegmentBytesGoesIntoAnEmptySegment() throws Exception {
        PartitionLog log = partition(Map.of("segment.bytes", "100"));
        appendCommitted(log, 1, 100);
        ByteBuffer big = appendCommitted(log, 5, 100, 200);

        assertThat(segments(log)).extracting(LogSegment::baseOffset).containsExactly(0L, 1L);
        assertThat(Slices.bytes(log.read(1, Integer.MAX_VALUE, Long.MAX_VALUE, true))).isEqualTo(Slices.bytes(big));
    }

    @Test
    void rollsWhenTheActiveSegmentIsOlderThanSegmentMs() throws Exception {
        PartitionLog log = partition(Map.of("segment.ms", "1000"));
        appendCommitted(log, 1, 100);
        clock.advance(999);
        appendCommitted(log, 1, 100);
        clock.advance(1);

        appendCommitted(log, 1, 100);

        assertThat(segments(log)).extracting(LogSegment::baseOffset).containsExactly(0L, 2L);
    }

    @Test
    void offsetForTimestampFindsTheFirstBatchAtOrAfterIt() throws Exception {
        PartitionLog log = partition(Map.of("index.interval.bytes", "0", "segment.bytes", "300"));
        for (int i = 0; i < 10; i++) {
            appendCommitted(log, 2, 1000 + 100 * i);
        }

        Optional<TimestampOffset> exact = log.offsetForTimestamp(1500);
        Optional<TimestampOffset> between = log.offsetForTimestamp(1250);
        Optional<TimestampOffset> early = log.offsetForTimestamp(0);
        Optional<TimestampOffset> late = log.offsetForTimestamp(1901);

        assertThat(exact).get().extracting(TimestampOffset::offset, TimestampOffset::timestamp).containsExactly(10L, 1500L);
        assertThat(between).get().extracting(TimestampOffset::offset).isEqualTo(6L);
        assertThat(early).get().extracting(TimestampOffset::offset).isEqualTo(0L);
        assertThat(late).isEmpty();
        assertThat(exact.get().batch().firstOffset()).isEqualTo(10);
        assertThat(Slices.bytes(exact.get().batch())).isEqualTo(Slices.bytes(TestBatches.batch(10, 2, 1500)));
    }

    @Test
    void scanBatchesVisitsEveryBatchFromTheGivenOffset() throws Exception {
        PartitionLog log = partition(Map.of("segment.bytes", "300", "index.interval.bytes", "0"));
        for (int i = 0; i < 6; i++) {
            appendCommitted(log, 3, 100 + i);
        }
        List<Long> bases = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();

        log.scanBatches(7, header -> {
            bases.add(header.baseOffset());
            timestamps.add(header.maxTimestamp());
        });

        assertThat(bases).containsExactly(9L, 12L, 15L);
        assertThat(timestamps).containsExactly(103L, 104L, 105L);
    }

    @Test
    void everyOffsetIsReadableThroughTheSparseIndex() throws Exception {
        PartitionLog log = partition(Map.of("index.interval.bytes", "150", "segment.bytes", "2000"));
        for (int i = 0; i < 40; i++) {
            appendCommitted(log, 1 + i % 3, 100);
        }

        for (long offset = 0; offset < log.logEndOffset(); offset++) {
            LogSlice slice = log.read(offset, 1, Long.MAX_VALUE, true);
            assertThat(slice.firstOffset()).isLessThanOrEqualTo(offset);
            assertThat(slice.lastOffset()).isGreaterThanOrEqualTo(offset);
        }
        assertThat(segments(log).get(0).offsetIndex().entries()).isGreaterThan(1);
    }

    static List<LogSegment> segments(PartitionLog log) {
        return ((DefaultPartitionLog) log).segments();
    }
}
