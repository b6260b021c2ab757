package io.tributary.log.internal;

import io.tributary.log.CorruptRecordException;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static io.tributary.log.internal.LogTestSupport.appendCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bytes flipped in a closed segment are found and answered with an error, never skipped (decision 0018). */
@Timeout(30)
class ScrubberTest {
    /** Batches of 1 record with a 10-byte value are 78 bytes; 3 fit in a segment. */
    private static final int BATCH = 78;

    @TempDir
    Path dir;

    private DefaultLogManager manager;
    private PartitionLog p;

    @BeforeEach
    void open() throws IOException {
        manager = DefaultLogManager.open(LogManagerConfig.builder(dir).retentionCheckIntervalMs(3_600_000)
                .fileDeleteDelayMs(3_600_000).scrubberEnable(false).build(), ChannelFactory.DEFAULT);
        p = manager.createTopic("t", 1, Map.of("segment.bytes", "240")).partition(0);
        for (int i = 0; i < 7; i++) {
            appendCommitted(p, 1, System.currentTimeMillis());
        }
        assertThat(DefaultPartitionLogTest.segments(p)).extracting(LogSegment::baseOffset).containsExactly(0L, 3L, 6L);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void aCleanLogHasNoDamageAndIsVerified() throws Exception {
        assertThat(manager.scrubNow()).isZero();
        assertThat(manager.damagedRanges()).isZero();
        LogSegment first = DefaultPartitionLogTest.segments(p).get(0);
        assertThat(first.verifiedPosition()).isEqualTo(3L * BATCH);
        assertThat(p.read(0, 10_000, Long.MAX_VALUE, true).lastOffset()).isEqualTo(2);
    }

    @Test
    void damageAfterAVerifiedPassIsFoundByTheNextPass() throws Exception {
        assertThat(manager.scrubNow()).isZero();
        flip(2 * BATCH + 70, 3);
        assertThat(manager.scrubNow()).isEqualTo(1);
        assertThatThrownBy(() -> p.read(2, 10_000, Long.MAX_VALUE, true)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void aFlipInsideTheCrcIsReportedAndItsBatchAnsweredWithAnError() throws Exception {
        flip(BATCH + 70, 3); // record bytes of the batch at offset 1
        assertThat(manager.scrubNow()).isEqualTo(1);
        assertThat(manager.damagedRanges()).isEqualTo(1);
        assertThat(manager.scrubNow()).isZero(); // reported once

        LogSlice before = p.read(0, 10_000, Long.MAX_VALUE, true);
        assertThat(before.lastOffset()).isEqualTo(0);
        assertThat(before.size()).isEqualTo(BATCH);
        assertThatThrownBy(() -> p.read(1, 10_000, Long.MAX_VALUE, true))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("00000000000000000000.log").hasMessageContaining("byte " + BATCH);
        // the batch after it and the other segments are served
        assertThat(p.read(2, 10_000, Long.MAX_VALUE, true).firstOffset()).isEqualTo(2);
        assertThat(p.read(3, 10_000, Long.MAX_VALUE, true).lastOffset()).isEqualTo(5);
    }

    @Test
    void aFlipInTheBaseOffsetNoLongerMakesTheBatchVanish() throws Exception {
        flip(BATCH + 5, 3); // base offset of the batch at offset 1, outside the CRC
        assertThat(manager.scrubNow()).isEqualTo(1);
        assertThat(manager.damagedRanges()).isEqualTo(1);
        assertThat(p.read(0, 10_000, Long.MAX_VALUE, true).lastOffset()).isEqualTo(0);
        for (long offset = 1; offset <= 2; offset++) {
            long o = offset;
            assertThatThrownBy(() -> p.read(o, 10_000, Long.MAX_VALUE, true))
                    .isInstanceOf(CorruptRecordException.class)
                    .satisfies(e -> assertThat(((CorruptRecordException) e).firstOffset()).isEqualTo(1));
        }
        assertThat(p.read(3, 10_000, Long.MAX_VALUE, true).firstOffset()).isEqualTo(3);
    }

    @Test
    void theReadPathAloneRefusesABatchWhoseBaseOffsetWasHit() throws Exception {
        flip(BATCH + 5, 3);
        assertThat(p.read(0, 10_000, Long.MAX_VALUE, true).lastOffset()).isEqualTo(0);
        assertThatThrownBy(() -> p.read(1, 10_000, Long.MAX_VALUE, true)).isInstanceOf(CorruptRecordException.class);
        assertThat(manager.damagedRanges()).isEqualTo(1);
        assertThat(manager.scrubNow()).isZero(); // already known: not reported twice
    }

    @Test
    void aFlipInTheLengthMarksTheRestOfTheSegment() throws Exception {
        flip(BATCH + 9, 3); // length of the batch at offset 1
        assertThat(manager.scrubNow()).isEqualTo(1);
        assertThatThrownBy(() -> p.read(2, 10_000, Long.MAX_VALUE, true)).isInstanceOf(CorruptRecordException.class);
        assertThat(p.read(0, 10_000, Long.MAX_VALUE, true).lastOffset()).isEqualTo(0);
        assertThat(p.read(6, 10_000, Long.MAX_VALUE, true).firstOffset()).isEqualTo(6);
    }

    private void flip(long position, int bytes) throws IOException {
        Path file = dir.resolve("t-0").resolve("00000000000000000000.log");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(bytes);
            ch.read(b, position);
            for (int i = 0; i < bytes; i++) {
                b.put(i, (byte) (b.get(i) ^ 0x5A));
            }
            b.flip();
            ch.write(b, position);
        }
    }
}
