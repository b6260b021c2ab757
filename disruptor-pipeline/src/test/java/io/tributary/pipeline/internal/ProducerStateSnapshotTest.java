package io.tributary.pipeline.internal;

import io.tributary.pipeline.internal.ProducerStateSnapshot.UnreadableSnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ProducerStateSnapshotTest {
    private static final long NOW = 1_800_000_000_000L;

    private static ProducerStateSnapshot twoProducers() {
        ProducerStateTable table = new ProducerStateTable();
        for (int seq = 0; seq < 7; seq++) {
            table.record(7L, (short) 2, seq, seq, 100 + seq, 100 + seq, NOW - 10 + seq, NOW - 1000);
        }
        table.record(9L, (short) 0, 0, 4, 200, 204, NOW - 5, NOW - 500);
        return new ProducerStateSnapshot(205, 200, 0xCAFE, table);
    }

    @Test
    void roundTripsEveryCachedBatchOldestFirstWithTheLastActivityTime() throws Exception {
        // Given
        ByteBuffer bytes = twoProducers().encode();

        // When
        ProducerStateSnapshot read = ProducerStateSnapshot.decode(bytes, NOW);

        // Then
        assertThat(read.logEndOffset()).isEqualTo(205);
        assertThat(read.lastBatchBaseOffset()).isEqualTo(200);
        assertThat(read.lastBatchCrc()).isEqualTo(0xCAFE);
        ProducerEntry seven = read.producers().get(7L);
        assertThat(seven.epoch()).isEqualTo((short) 2);
        assertThat(seven.batchCount()).isEqualTo(ProducerEntry.CACHED_BATCHES);
        assertThat(seven.lastSeq()).isEqualTo(6);
        assertThat(seven.lastActivityMs()).isEqualTo(NOW - 1000);
        assertThat(seven.findDuplicate((short) 2, 1, 1)).isEqualTo(-1);
        int slot = seven.findDuplicate((short) 2, 3, 3);
        assertThat(seven.baseOffset(slot)).isEqualTo(103);
        assertThat(seven.timestamp(slot)).isEqualTo(NOW - 7);
        ProducerEntry nine = read.producers().get(9L);
        assertThat(nine.lastOffset(nine.findDuplicate((short) 0, 0, 4))).isEqualTo(204);
        assertThat(read.producers().size()).isEqualTo(2);
    }

    @Test
    void anyFlippedBodyByteFailsTheCrc() {
        // Given
        ByteBuffer bytes = twoProducers().encode();
        for (int i = ProducerStateSnapshot.HEADER_SIZE; i < bytes.limit(); i += 7) {
            ByteBuffer copy = ByteBuffer.allocate(bytes.limit()).put(bytes.duplicate()).flip();
            copy.put(i, (byte) (copy.get(i) ^ 0x10));

            // When / Then
            assertThatThrownBy(() -> ProducerStateSnapshot.decode(copy, NOW))
                    .isInstanceOf(UnreadableSnapshotException.class).hasMessageContaining("CRC");
        }
    }

    @Test
    void rejectsAnUnknownVersionAndATruncatedFile() {
        // Given
        ByteBuffer newer = twoProducers().encode();
        newer.putInt(ProducerStateSnapshot.VERSION_OFFSET, 2);
        ByteBuffer cut = twoProducers().encode();
        cut.limit(cut.limit() - 3);

        // When / Then
        assertThatThrownBy(() -> ProducerStateSnapshot.decode(newer, NOW)).hasMessageContaining("unknown version 2");
        assertThatThrownBy(() -> ProducerStateSnapshot.decode(cut, NOW)).hasMessageContaining("truncated");
    }

    @Test
    void aLastActivityInTheFutureIsTakenAsNow() throws Exception {
        // Given a snapshot written by a clock ahead of today's
        ByteBuffer bytes = twoProducers().encode();

        // When
        ProducerStateSnapshot read = ProducerStateSnapshot.decode(bytes, NOW - 2000);

        // Then
        assertThat(read.producers().get(7L).lastActivityMs()).isEqualTo(NOW - 2000);
    }
}
