package io.tributary.perf.ingest;

import io.tributary.log.RecordBatchHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class BenchmarkBatchTest {
    @Test
    void buildsAWellFormedBatchOfTheRequestedSize() {
        // Given / When
        ByteBuffer batch = BenchmarkBatch.of(1024);

        // Then
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);
        assertThat(batch.remaining()).isEqualTo(1024);
        assertThat(header.sizeInBytes()).isEqualTo(1024);
        assertThat(header.magic()).isEqualTo(RecordBatchHeader.MAGIC_V2);
        assertThat(header.recordsCount()).isEqualTo(1);
        assertThat(header.lastOffsetDelta()).isZero();
        assertThat(header.isCrcValid()).isTrue();
    }

    @Test
    void everyPlausibleSizeCanBeBuilt() {
        for (int size = 100; size <= 4096; size += 97) {
            assertThat(BenchmarkBatch.of(size).remaining()).isEqualTo(size);
        }
    }
}
