package io.tributary.compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class StoredBatchTest {
    @Test
    void codecNamesFollowKafkasAttributeNumbers() {
        // Given/When the codec table / Then ids 0..4 are none, gzip, snappy, lz4, zstd as in Kafka's CompressionType
        assertThat(StoredBatch.codecName(0)).isEqualTo("none");
        assertThat(StoredBatch.codecName(1)).isEqualTo("gzip");
        assertThat(StoredBatch.codecName(2)).isEqualTo("snappy");
        assertThat(StoredBatch.codecName(3)).isEqualTo("lz4");
        assertThat(StoredBatch.codecName(4)).isEqualTo("zstd");
        assertThat(StoredBatch.codecName(7)).isEqualTo("unknown(7)");
    }
}
