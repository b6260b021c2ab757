package io.tributary.log.internal;

import io.tributary.log.CorruptRecordException;
import io.tributary.log.PartitionLog;
import io.tributary.log.testing.TestBatches;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Damages files on purpose and checks that open keeps exactly the valid prefix. */
@Timeout(10)
class RecoveryTest {
    private static final int BATCHES = 12;

    @TempDir
    Path dir;

    private final List<ByteBuffer> written = new ArrayList<>();
    private Path partitionDir;
    private long lastSegmentBase;

    @BeforeEach
    void writeLog() throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.createTopic("t", 1, Map.of("segment.bytes", "400", "index.interval.bytes", "100"))
                    .partition(0);
            for (int i = 0; i < BATCHES; i++) {
                written.add(appendCommitted(p, 2, 1000 + i));
            }
            List<LogSegment> segments = DefaultPartitionLogTest.segments(p);
            assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
            lastSegmentBase = segments.get(segments.size() - 1).baseOffset();
        }
        partitionDir = dir.resolve("t-0");
    }

    private void crash() throws IOException {
        Files.delete(dir.resolve(DefaultLogManager.CLEAN_SHUTDOWN));
    }

    private Path file(long base, String suffix) {
        return partitionDir.resolve(LogSegment.fileName(base, suffix));
    }

    private byte[] firstBatches(int n) {
        return Slices.bytes(TestBatches.concat(written.subList(0, n).toArray(ByteBuffer[]::new)));
    }

    /** Reopens and checks the log holds exactly the first {@code batches} batches and takes more. */
    private void assertReopensTo(int batches, boolean expectRecovery) throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.topic("t").orElseThrow().partition(0);
            assertThat(log.segmentsValidatedOnOpen() > 0).isEqualTo(expectRecovery);
            assertThat(p.logEndOffset()).isEqualTo(2L * batches);
            assertThat(Slices.readAll(p, 0)).isEqualTo(firstBatches(batches));
            assertThat(p.offsetForTimestamp(1000 + batches - 1)).get().extracting(t -> t.offset())
                    .isEqualTo(2L * (batches - 1));
            for (long offset = 0; offset < p.logEndOffset(); offset++) {
                assertThat(p.read(offset, 1, Long.MAX_VALUE, true).lastOffset()).isGreaterThanOrEqualTo(offset);
            }
            ByteBuffer next = appendCommitted(p, 3, 5000);
            assertThat(Slices.bytes(p.read(2L * batches, 10_000, Long.MAX_VALUE, true))).isEqualTo(Slices.bytes(next));
        }
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.recoveredOnOpen()).isFalse();
            assertThat(log.topic("t").orElseThrow().partition(0).logEndOffset()).isEqualTo(2L * batches + 3);
        }
    }

    @Test
    void uncleanStopWithIntactFilesLosesNothing() throws IOException {
        crash();

        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.recoveredOnOpen()).isTrue();
        }
        crash();
        assertReopensTo(BATCHES, true);
    }

    @Test
    void tornLastBatchIsCut() throws IOException {
        crash();
        Path log = file(lastSegmentBase, LogSegment.LOG_SUFFIX);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 7);
        }

        assertReopensTo(BATCHES - 1, true);
    }

    @Test
    void zeroFilledTailIsCut() throws IOException {
        crash();
        Path log = file(lastSegmentBase, LogSegment.LOG_SUFFIX);
        long validSize = Files.size(log);
        Files.write(log, new byte[4096], StandardOpenOption.APPEND);

        assertReopensTo(BATCHES, true);
        assertThat(Files.size(log)).as("the zeros are gone; the next append rolled").isEqualTo(validSize);
    }

    @Test
    void flippedByteInTheLastBatchFailsItsCrc() throws IOException {
        crash();
        Path log = file(lastSegmentBase, LogSegment.LOG_SUFFIX);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            long at = ch.size() - 5;
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
            ch.write(one, at);
        }

        assertReopensTo(BATCHES - 1, true);
    }

    /**
     * An earlier segment was forced whole before the recovery point was written: bytes missing from
     * its end are damage, reported and refused, not a reason to drop it and every later segment.
     */
    @Test
    void aShortEarlierSegmentIsMarkedDamagedAndTheLaterOnesStay() throws IOException {
        crash();
        Path first = file(0, LogSegment.LOG_SUFFIX);
        int firstSegmentBatches = (int) (Files.size(first) / written.get(0).remaining());
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1);
        }

        assertDamagedAtOpen(firstSegmentBatches - 1, 1, true);
    }

    /** A base offset (outside the CRC) hit in the last batch of an earlier segment, after a crash and after a clean stop. */
    @Test
    void aHeaderHitInAnEarlierSegmentIsMarkedDamagedNotCut() throws IOException {
        Path first = file(0, LogSegment.LOG_SUFFIX);
        int firstSegmentBatches = (int) (Files.size(first) / written.get(0).remaining());
        long lastBatchStart = Files.size(first) - written.get(0).remaining();
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).putLong(0, 1L << 40), lastBatchStart);
        }

        assertDamagedAtOpen(firstSegmentBatches - 1, 1, false);
        crash();
        assertDamagedAtOpen(firstSegmentBatches - 1, 1, true);
    }

    /** A base offset that goes back may mean the previous batch's was the one hit: both are refused. */
    @Test
    void aBaseOffsetGoingBackInAnEarlierSegmentMarksTheBatchBeforeToo() throws IOException {
        Path first = file(0, LogSegment.LOG_SUFFIX);
        int firstSegmentBatches = (int) (Files.size(first) / written.get(0).remaining());
        long lastBatchStart = Files.size(first) - written.get(0).remaining();
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).putLong(0, 0L), lastBatchStart);
        }

        assertDamagedAtOpen(firstSegmentBatches - 2, 2, true);
    }

    /**
     * Reopens: the first segment holds {@code goodBatches} readable batches followed by {@code damagedBatches}
     * refused ones; the later segments and their files stay and are read; one damaged range is counted.
     * With {@code thenAppend}, the log then takes a new batch.
     */
    private void assertDamagedAtOpen(int goodBatches, int damagedBatches, boolean thenAppend) throws IOException {
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            PartitionLog p = log.topic("t").orElseThrow().partition(0);
            assertThat(log.damagedRanges()).isEqualTo(1);
            assertThat(p.logEndOffset()).isEqualTo(2L * BATCHES);
            assertThat(file(lastSegmentBase, LogSegment.LOG_SUFFIX)).exists();
            if (goodBatches > 0) {
                assertThat(Slices.bytes(p.read(0, 10_000, Long.MAX_VALUE, true))).isEqualTo(firstBatches(goodBatches));
            }
            long firstDamaged = 2L * goodBatches;
            long afterDamage = 2L * (goodBatches + damagedBatches);
            for (long offset = firstDamaged; offset < afterDamage; offset++) {
                long o = offset;
                assertThatThrownBy(() -> p.read(o, 10_000, Long.MAX_VALUE, true))
                        .isInstanceOf(CorruptRecordException.class)
                        .satisfies(e -> assertThat(((CorruptRecordException) e).firstOffset()).isEqualTo(firstDamaged));
            }
            byte[] rest = Slices.bytes(TestBatches.concat(written.subList(goodBatches + damagedBatches, BATCHES)
                    .toArray(ByteBuffer[]::new)));
            assertThat(Slices.readAll(p, afterDamage)).isEqualTo(rest);
            if (thenAppend) {
                ByteBuffer next = appendCommitted(p, 3, 5000);
                assertThat(Slices.bytes(p.read(2L * BATCHES, 10_000, Long.MAX_VALUE, true)))
                        .isEqualTo(Slices.bytes(next));
            }
        }
    }

    @Test
    void garbageInAnIndexFileIsRebuilt() throws IOException {
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        Files.write(file(0, OffsetIndex.SUFFIX), garbage);

        assertReopensTo(BATCHES, true);
    }

    /** An index entry of a closed segment moved off its batch (order kept): the tail walk fails, the index is rebuilt. */
    @Test
    void anIndexEntryPointingIntoABatchIsRebuiltNotTakenForDamage() throws IOException {
        Path index = file(0, OffsetIndex.SUFFIX);
        long entries = Files.size(index) / 8;
        assertThat(entries).as("segment 0 has index entries").isPositive();
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer position = ByteBuffer.allocate(4);
            ch.read(position, (entries - 1) * 8 + 4);
            ch.write(ByteBuffer.allocate(4).putInt(0, position.getInt(0) + 10), (entries - 1) * 8 + 4);
        }

        assertReopensTo(BATCHES, true);
        try (DefaultLogManager log = LogTestSupport.open(dir)) {
            assertThat(log.damagedRanges()).isZero();
        }
    }

    @Test
    void indexWithABadSizeIsRebuilt() throws IOException {
        Files.write(file(lastSegmentBase, OffsetIndex.SUFFIX), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        assertReopensTo(BATCHES, true);
    }

    @Test
    void missingIndexFileIsRebuilt() throws IOException {
        Files.delete(file(lastSegmentBase, OffsetIndex.SUFFIX));

        assertReopensTo(BATCHES, true);
    }

    @Test
    void missingTimeIndexIsRebuilt() throws IOException {
        Files.delete(file(0, TimeIndex.SUFFIX));
        Files.delete(file(lastSegmentBase, TimeIndex.SUFFIX));

        assertReopensTo(BATCHES, true);
    }

    @Test
    void cleanReopenValidatesNothing() throws IOException {
        assertReopensTo(BATCHES, false);
    }

    /** Offsets may jump forward (the cleaner leaves gaps, as Kafka's does) but never go back. */
    @Test
    void batchWhoseOffsetsGoBackIsCut() throws IOException {
        crash();
        overwriteInLastBatch(io.tributary.log.RecordBatchHeader.BASE_OFFSET_OFFSET,
                ByteBuffer.allocate(8).putLong(0, 1L));

        assertReopensTo(BATCHES - 1, true);
    }

    @Test
    void batchWithAnotherMagicIsCut() throws IOException {
        crash();
        overwriteInLastBatch(io.tributary.log.RecordBatchHeader.MAGIC_OFFSET, ByteBuffer.wrap(new byte[] {1}));

        assertReopensTo(BATCHES - 1, true);
    }

    /** Overwrites bytes at {@code fieldOffset} of the last batch (fields outside the CRC's range). */
    private void overwriteInLastBatch(int fieldOffset, ByteBuffer bytes) throws IOException {
        Path log = file(lastSegmentBase, LogSegment.LOG_SUFFIX);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            long lastBatchStart = ch.size() - written.get(BATCHES - 1).remaining();
            ch.write(bytes, lastBatchStart + fieldOffset);
        }
    }
}
