package io.tributary.kafka.share;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks Kafka's broker makes of one partition's acknowledgement batches before anything else. */
class AcknowledgementsTest {
    private static final byte ACCEPT = 1;
    private static final byte RELEASE = 2;

    @Test
    void orderedRangesOfOneTypeOrOneTypePerOffsetAreWellFormed() {
        assertThat(Acknowledgements.wellFormed(List.of())).isTrue();
        assertThat(Acknowledgements.wellFormed(List.of(batch(0, 4, ACCEPT), batch(6, 8, ACCEPT, RELEASE, ACCEPT))))
                .isTrue();
        // Kafka lets a range start on the previous one's last offset
        assertThat(Acknowledgements.wellFormed(List.of(batch(0, 4, ACCEPT), batch(4, 5, RELEASE)))).isTrue();
        // every type Kafka defines: GAP, ACCEPT, RELEASE, REJECT, RENEW
        assertThat(Acknowledgements.wellFormed(List.of(batch(0, 4, (byte) 0, (byte) 1, (byte) 2, (byte) 3,
                (byte) 4)))).isTrue();
    }

    @Test
    void aMalformedBatchAnywhereMakesThePartitionsBatchesMalformed() {
        Acknowledgements.Batch valid = batch(0, 0, ACCEPT);
        assertThat(Acknowledgements.wellFormed(List.of(valid, batch(5, 3, ACCEPT)))).as("first > last").isFalse();
        assertThat(Acknowledgements.wellFormed(List.of(batch(3, 6, ACCEPT), batch(5, 7, ACCEPT))))
                .as("starts before the previous range's last offset").isFalse();
        assertThat(Acknowledgements.wellFormed(List.of(batch(5, 7, ACCEPT), batch(1, 2, ACCEPT))))
                .as("unsorted").isFalse();
        assertThat(Acknowledgements.wellFormed(List.of(valid, batch(1, 2)))).as("no type").isFalse();
        assertThat(Acknowledgements.wellFormed(List.of(valid, batch(1, 3, ACCEPT, RELEASE))))
                .as("neither one type nor one per offset").isFalse();
        assertThat(Acknowledgements.wellFormed(List.of(valid, batch(1, 1, (byte) 5)))).as("unknown type").isFalse();
        assertThat(Acknowledgements.wellFormed(List.of(valid, batch(1, 1, (byte) -1)))).as("negative type").isFalse();
        assertThat(Acknowledgements.wellFormed(List.of(batch(-3, -1, ACCEPT)))).as("negative offsets").isFalse();
    }

    private static Acknowledgements.Batch batch(long first, long last, byte... types) {
        Byte[] boxed = new Byte[types.length];
        for (int i = 0; i < types.length; i++) {
            boxed[i] = types[i];
        }
        return new Acknowledgements.Batch(first, last, List.of(boxed));
    }
}
