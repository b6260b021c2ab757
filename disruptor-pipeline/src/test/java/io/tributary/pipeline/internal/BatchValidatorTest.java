package io.tributary.pipeline.internal;

import io.tributary.log.LogConfig;
import io.tributary.log.RecordBatchHeader;
import io.tributary.log.testing.TestBatches;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;

import static io.tributary.log.testing.TestBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class BatchValidatorTest {
    private static final int MAX = 1 << 20;

    private static AppendError errorOf(ByteBuffer batches, int max) {
        AppendResult result = BatchValidator.validate(batches, max);
        return result == null ? AppendError.NONE : result.error();
    }

    @Test
    void acceptsWellFormedBatches() {
        assertThat(errorOf(batch().records(3).build(), MAX)).isEqualTo(AppendError.NONE);
        assertThat(errorOf(TestBatches.concat(batch().build(), batch().records(2).build()), MAX))
                .isEqualTo(AppendError.NONE);
    }

    @Test
    void rejectsBadCrc() {
        ByteBuffer b = batch().build();
        int last = b.limit() - 1;
        b.put(last, (byte) (b.get(last) ^ 1));
        assertThat(errorOf(b, MAX)).isEqualTo(AppendError.CORRUPT_MESSAGE);
    }

    @Test
    void rejectsWrongMagic() {
        ByteBuffer b = batch().build();
        b.put(RecordBatchHeader.MAGIC_OFFSET, (byte) 1);
        assertThat(errorOf(b, MAX)).isEqualTo(AppendError.CORRUPT_MESSAGE);
    }

    @Test
    void rejectsTruncatedAndBadLength() {
        ByteBuffer whole = batch().build();
        assertThat(errorOf(whole.duplicate().limit(whole.limit() - 1), MAX)).isEqualTo(AppendError.CORRUPT_MESSAGE);
        assertThat(errorOf(whole.duplicate().limit(20), MAX)).isEqualTo(AppendError.CORRUPT_MESSAGE);
        ByteBuffer tiny = batch().build();
        tiny.putInt(RecordBatchHeader.LENGTH_OFFSET, 3);
        assertThat(errorOf(tiny, MAX)).isEqualTo(AppendError.CORRUPT_MESSAGE);
        assertThat(errorOf(ByteBuffer.allocate(0), MAX)).isEqualTo(AppendError.INVALID_RECORD);
    }

    @Test
    void rejectsBatchLargerThanMaxMessageBytes() {
        ByteBuffer b = batch().valueSize(2000).build();
        assertThat(errorOf(b, 1000)).isEqualTo(AppendError.RECORD_TOO_LARGE);
        assertThat(errorOf(b, b.remaining())).isEqualTo(AppendError.NONE);
    }

    @Test
    void rejectsRecordCountThatDisagreesWithLastOffsetDelta() {
        ByteBuffer b = batch().records(2).build();
        b.putInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET, 5);
        b.putInt(RecordBatchHeader.CRC_OFFSET, (int) new RecordBatchHeader().wrap(b, 0).computeCrc());
        assertThat(errorOf(b, MAX)).isEqualTo(AppendError.INVALID_RECORD);
    }

    @Test
    void acceptsTransactionalBatchesButRefusesControlBatchesAndTransactionalOnesWithoutProducer() {
        assertThat(errorOf(batch().producer(1, 0, 0).attributes(RecordBatchHeader.TRANSACTIONAL_FLAG_MASK).build(), MAX))
                .isEqualTo(AppendError.NONE);
        assertThat(errorOf(batch().attributes(RecordBatchHeader.TRANSACTIONAL_FLAG_MASK).build(), MAX))
                .isEqualTo(AppendError.INVALID_RECORD);
        assertThat(errorOf(batch().attributes(RecordBatchHeader.CONTROL_FLAG_MASK).build(), MAX))
                .isEqualTo(AppendError.INVALID_RECORD);
    }

    @Test
    void rejectsIdempotentBatchOfferedWithOthers() {
        ByteBuffer two = TestBatches.concat(batch().producer(1, 0, 0).build(), batch().producer(1, 0, 1).build());
        assertThat(errorOf(two, MAX)).isEqualTo(AppendError.INVALID_RECORD);
    }

    @Test
    void createTimeOutsideTheTopicWindowIsAnInvalidTimestamp() {
        long now = 1_700_000_000_000L;
        LogConfig window = LogConfig.defaults().withOverrides(java.util.Map.of(
                "message.timestamp.before.max.ms", "60000", "message.timestamp.after.max.ms", "1000"));

        assertThat(timestampError(now - 60_000, window, now)).isEqualTo(AppendError.NONE);
        assertThat(timestampError(now + 1_000, window, now)).isEqualTo(AppendError.NONE);
        assertThat(timestampError(now - 60_001, window, now)).isEqualTo(AppendError.INVALID_TIMESTAMP);
        assertThat(timestampError(now + 1_001, window, now)).isEqualTo(AppendError.INVALID_TIMESTAMP);
        assertThat(timestampError(-1, window, now)).as("no timestamp").isEqualTo(AppendError.NONE);
    }

    @Test
    void defaultWindowRefusesOnlyTheFarFutureAndLogAppendTimeRefusesNothing() {
        long now = 1_700_000_000_000L;
        LogConfig defaults = LogConfig.defaults();
        LogConfig appendTime = defaults.withOverrides(java.util.Map.of("message.timestamp.type", "LogAppendTime"));

        assertThat(timestampError(0, defaults, now)).isEqualTo(AppendError.NONE);
        assertThat(timestampError(now + 3_600_001, defaults, now)).isEqualTo(AppendError.INVALID_TIMESTAMP);
        assertThat(timestampError(now + 3_600_001, appendTime, now)).isEqualTo(AppendError.NONE);
    }

    @Test
    void aCompactedTopicRefusesRecordsWithoutAKeyInUncompressedBatches() {
        long now = 1_700_000_000_000L;
        LogConfig compacted = LogConfig.defaults().withOverrides(java.util.Map.of("cleanup.policy", "compact"));
        byte[] key = "k".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        AppendResult keyless = BatchValidator.validate(batch().timestamp(now).records(3).build(), compacted, now);

        assertThat(keyless).isNotNull();
        assertThat(keyless.error()).isEqualTo(AppendError.INVALID_RECORD);
        assertThat(keyless.message()).contains("Compacted topic cannot accept message without key");
        assertThat(BatchValidator.validate(batch().timestamp(now).records(3).key(key).build(), compacted, now)).isNull();
        assertThat(BatchValidator.validate(TestBatches.concat(batch().timestamp(now).key(key).build(),
                batch().baseOffset(1).timestamp(now).build()), compacted, now)).as("second batch keyless").isNotNull();
        assertThat(BatchValidator.validate(batch().timestamp(now).build(), LogConfig.defaults(), now))
                .as("a delete topic takes keyless records").isNull();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4})
    void aCompactedTopicRefusesRecordsWithoutAKeyInCompressedBatches(int codec) {
        long now = 1_700_000_000_000L;
        LogConfig compacted = LogConfig.defaults().withOverrides(java.util.Map.of("cleanup.policy", "compact"));
        byte[] key = "k".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer keyless = compressed(batch().timestamp(now).records(3).build(), codec);
        ByteBuffer keyed = compressed(batch().timestamp(now).records(3).key(key).build(), codec);

        AppendResult refused = BatchValidator.validate(keyless, compacted, now);

        assertThat(refused).isNotNull();
        assertThat(refused.error()).isEqualTo(AppendError.INVALID_RECORD);
        assertThat(refused.message()).contains("Compacted topic cannot accept message without key");
        assertThat(BatchValidator.validate(keyed, compacted, now)).isNull();
        assertThat(BatchValidator.validate(keyless, LogConfig.defaults(), now))
                .as("a delete topic takes keyless records, compressed or not").isNull();
        ByteBuffer garbage = compressed(batch().timestamp(now).records(3).build(), codec);
        garbage.put(RecordBatchHeader.RECORDS_OFFSET, (byte) (garbage.get(RecordBatchHeader.RECORDS_OFFSET) ^ 0x5A));
        garbage.put(RecordBatchHeader.RECORDS_OFFSET + 1, (byte) (garbage.get(RecordBatchHeader.RECORDS_OFFSET + 1) ^ 0x5A));
        garbage.putInt(RecordBatchHeader.CRC_OFFSET, (int) new RecordBatchHeader().wrap(garbage, 0).computeCrc());
        assertThat(BatchValidator.validate(garbage, compacted, now).error()).isEqualTo(AppendError.CORRUPT_MESSAGE);
    }

    /** {@code plain} (one uncompressed batch) with its records compressed with {@code codec}. */
    private static ByteBuffer compressed(ByteBuffer plain, int codec) {
        int recordsLength = plain.remaining() - RecordBatchHeader.RECORDS_OFFSET;
        byte[] records = new byte[recordsLength];
        plain.get(plain.position() + RecordBatchHeader.RECORDS_OFFSET, records);
        byte[] packed = io.tributary.log.BatchCompression.compress(codec, records, 0, recordsLength);
        ByteBuffer out = ByteBuffer.allocate(RecordBatchHeader.RECORDS_OFFSET + packed.length);
        out.put(0, plain, plain.position(), RecordBatchHeader.RECORDS_OFFSET);
        out.put(RecordBatchHeader.RECORDS_OFFSET, packed);
        out.putInt(RecordBatchHeader.LENGTH_OFFSET, out.capacity() - RecordBatchHeader.LOG_OVERHEAD);
        short attributes = out.getShort(RecordBatchHeader.ATTRIBUTES_OFFSET);
        out.putShort(RecordBatchHeader.ATTRIBUTES_OFFSET, (short) (attributes | codec));
        out.putInt(RecordBatchHeader.CRC_OFFSET, (int) new RecordBatchHeader().wrap(out, 0).computeCrc());
        return out;
    }

    private static AppendError timestampError(long timestamp, LogConfig config, long now) {
        AppendResult result = BatchValidator.validate(batch().timestamp(timestamp).build(), config, now);
        return result == null ? AppendError.NONE : result.error();
    }
}
