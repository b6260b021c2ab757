package io.tributary.pipeline.internal;

import io.tributary.pipeline.AppendError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ProducerStateTableTest {
    private final ProducerStateTable table = new ProducerStateTable();

    @Test
    void unknownProducerIsAcceptedAtAnySequence() {
        // Given / When / Then: Kafka 4 accepts a producer it has no state for, whatever its sequence
        assertThat(table.check(table.get(7L), (short) 0, 0)).isEqualTo(AppendError.NONE);
        assertThat(table.check(table.get(7L), (short) 3, 42)).isEqualTo(AppendError.NONE);
    }

    @Test
    void sameEpochMustContinueTheSequence() {
        // Given a producer whose last batch ended at sequence 4
        table.record(7L, (short) 1, 0, 4, 100, 104, 0, 0);
        ProducerEntry entry = table.get(7L);

        // When / Then
        assertThat(table.check(entry, (short) 1, 5)).isEqualTo(AppendError.NONE);
        assertThat(table.check(entry, (short) 1, 6)).isEqualTo(AppendError.OUT_OF_ORDER_SEQUENCE);
        assertThat(table.check(entry, (short) 1, 3)).isEqualTo(AppendError.OUT_OF_ORDER_SEQUENCE);
    }

    @Test
    void olderEpochIsFencedAndNewerEpochMustStartAtZero() {
        // Given a producer at epoch 2
        table.record(7L, (short) 2, 0, 0, 0, 0, 0, 0);
        ProducerEntry entry = table.get(7L);

        // When / Then
        assertThat(table.check(entry, (short) 1, 1)).isEqualTo(AppendError.INVALID_PRODUCER_EPOCH);
        assertThat(table.check(entry, (short) 3, 0)).isEqualTo(AppendError.NONE);
        assertThat(table.check(entry, (short) 3, 1)).isEqualTo(AppendError.OUT_OF_ORDER_SEQUENCE);
    }

    @Test
    void sequenceWrapsAfterIntMax() {
        // Given a batch ending at Integer.MAX_VALUE
        int first = Integer.MAX_VALUE - 1;
        int last = ProducerEntry.lastSequence(first, 1);
        table.record(7L, (short) 0, first, last, 0, 1, 0, 0);

        // When / Then
        assertThat(last).isEqualTo(Integer.MAX_VALUE);
        assertThat(ProducerEntry.lastSequence(Integer.MAX_VALUE, 2)).isEqualTo(1);
        assertThat(table.check(table.get(7L), (short) 0, 0)).isEqualTo(AppendError.NONE);
    }

    @Test
    void remembersOnlyTheLastFiveBatchesOfTheCurrentEpoch() {
        // Given six batches of one record each
        for (int seq = 0; seq < 6; seq++) {
            table.record(7L, (short) 0, seq, seq, 10 + seq, 10 + seq, 1000 + seq, 0);
        }
        ProducerEntry entry = table.get(7L);

        // When / Then: the oldest is forgotten, the others are found with their offsets
        assertThat(entry.findDuplicate((short) 0, 0, 0)).isEqualTo(-1);
        int slot = entry.findDuplicate((short) 0, 1, 1);
        assertThat(slot).isNotNegative();
        assertThat(entry.baseOffset(slot)).isEqualTo(11);
        assertThat(entry.timestamp(slot)).isEqualTo(1001);
        assertThat(entry.findDuplicate((short) 1, 5, 5)).isEqualTo(-1);

        // and a new epoch forgets them all
        table.record(7L, (short) 1, 0, 0, 20, 20, 0, 0);
        assertThat(entry.findDuplicate((short) 0, 5, 5)).isEqualTo(-1);
        assertThat(entry.findDuplicate((short) 1, 0, 0)).isNotNegative();
    }

    @Test
    void truncationForgetsUnwrittenBatchesAndEmptyProducers() {
        // Given producer 7 with batches at offsets 0 and 5, producer 8 with one at 6
        table.record(7L, (short) 0, 0, 0, 0, 0, 0, 0);
        table.record(7L, (short) 0, 1, 1, 5, 5, 0, 0);
        table.record(8L, (short) 0, 0, 0, 6, 6, 0, 0);

        // When the log turns out to end at 5
        table.truncateFrom(5);

        // Then
        assertThat(table.get(8L)).isNull();
        assertThat(table.get(7L).lastSeq()).isZero();
        assertThat(table.get(7L).findDuplicate((short) 0, 1, 1)).isEqualTo(-1);
    }

    @Test
    void expiresIdleProducers() {
        // Given producers last active at t=0 and t=500
        table.record(7L, (short) 0, 0, 0, 0, 0, 0, 0);
        table.record(8L, (short) 0, 0, 0, 1, 1, 0, 500);

        // When
        int removed = table.expire(1000, 1000);

        // Then
        assertThat(removed).isEqualTo(1);
        assertThat(table.get(7L)).isNull();
        assertThat(table.get(8L)).isNotNull();
    }
}
