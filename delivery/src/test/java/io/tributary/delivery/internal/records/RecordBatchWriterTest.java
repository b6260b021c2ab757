package io.tributary.delivery.internal.records;

import io.tributary.log.RecordBatchHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class RecordBatchWriterTest {
    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    private record Seen(long offset, long timestamp, String key, String value, List<RecordHeader> headers) {
    }

    private static List<Seen> readAll(ByteBuffer batches) {
        List<Seen> seen = new ArrayList<>();
        RecordBatchReader.forEach(batches, (offset, ts, k, v, h) -> seen.add(new Seen(offset, ts, text(k), text(v), h)));
        return seen;
    }

    @Test
    void recordsReadBackWithKeysValuesNullsAndHeaders() {
        // Given a batch of three records, one a tombstone and one with headers
        ByteBuffer batch = new RecordBatchWriter(16)
                .append(1000L, utf8("k1"), utf8("v1"))
                .append(1005L, utf8("k2"), null)
                .append(999L, null, utf8("x".repeat(300)), List.of(new RecordHeader("h", utf8("hv")),
                        new RecordHeader("empty", null)))
                .build();

        // When it is read back
        List<Seen> seen = readAll(batch);

        // Then the header fields and every record survive
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);
        assertThat(header.magic()).isEqualTo(RecordBatchHeader.MAGIC_V2);
        assertThat(header.isCrcValid()).isTrue();
        assertThat(header.sizeInBytes()).isEqualTo(batch.remaining());
        assertThat(header.recordsCount()).isEqualTo(3);
        assertThat(header.lastOffsetDelta()).isEqualTo(2);
        assertThat(header.maxTimestamp()).isEqualTo(1005L);
        assertThat(header.producerId()).isEqualTo(-1L);
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).isEqualTo(new Seen(0, 1000L, "k1", "v1", List.of()));
        assertThat(seen.get(1).value()).isNull();
        assertThat(seen.get(1).timestamp()).isEqualTo(1005L);
        assertThat(seen.get(2).key()).isNull();
        assertThat(seen.get(2).timestamp()).isEqualTo(999L);
        assertThat(seen.get(2).value()).hasSize(300);
        assertThat(seen.get(2).headers()).extracting(RecordHeader::key).containsExactly("h", "empty");
        assertThat(text(seen.get(2).headers().get(0).value())).isEqualTo("hv");
        assertThat(seen.get(2).headers().get(1).value()).isNull();
    }

    @Test
    void consecutiveBatchesReadInOffsetOrderAndATrailingPartialBatchIsIgnored() {
        // Given two batches placed at offsets 10 and 11, then half of a third
        ByteBuffer first = new RecordBatchWriter(64).append(1, utf8("a"), utf8("1")).build();
        ByteBuffer second = new RecordBatchWriter(64).append(2, utf8("b"), utf8("2")).append(3, utf8("c"), utf8("3")).build();
        new RecordBatchHeader().wrap(first, 0).baseOffset(10);
        new RecordBatchHeader().wrap(second, 0).baseOffset(11);
        ByteBuffer all = ByteBuffer.allocate(first.remaining() + second.remaining() + 20);
        all.put(first).put(second).put(new byte[20]).flip();

        // When
        List<Seen> seen = new ArrayList<>();
        long next = RecordBatchReader.forEach(all, (o, t, k, v, h) -> seen.add(new Seen(o, t, text(k), text(v), h)));

        // Then
        assertThat(seen).extracting(Seen::offset).containsExactly(10L, 11L, 12L);
        assertThat(seen).extracting(Seen::key).containsExactly("a", "b", "c");
        assertThat(next).isEqualTo(13L);
    }

    @Test
    void aFlippedBitFailsTheCrc() {
        // Given a valid batch with one value byte changed
        ByteBuffer batch = new RecordBatchWriter(64).append(1, utf8("key"), utf8("value")).build();
        batch.put(batch.limit() - 3, (byte) (batch.get(batch.limit() - 3) ^ 1));

        // When / Then
        assertThatThrownBy(() -> readAll(batch)).isInstanceOf(CorruptRecordException.class).hasMessageContaining("CRC");
    }

    @Test
    void anEmptyBatchCannotBeBuilt() {
        assertThatThrownBy(() -> new RecordBatchWriter(64).build()).isInstanceOf(IllegalStateException.class);
    }
}
