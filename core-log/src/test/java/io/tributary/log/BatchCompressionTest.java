package io.tributary.log;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchCompressionTest {

    /** Enough records (with incompressible values) to span several 64 KiB LZ4 blocks and snappy chunks. */
    private static SimpleRecord[] records() {
        java.util.Random random = new java.util.Random(42);
        SimpleRecord[] records = new SimpleRecord[400];
        for (int i = 0; i < records.length; i++) {
            byte[] value = new byte[i % 3 == 0 ? 1000 : 20];
            if (i % 2 == 0) {
                random.nextBytes(value);
            }
            records[i] = new SimpleRecord(1_700_000_000_000L + i, ("key-" + i % 37).getBytes(StandardCharsets.UTF_8),
                    value);
        }
        return records;
    }

    private static byte[] recordsSection(ByteBuffer batch) {
        byte[] bytes = new byte[batch.remaining() - RecordBatchHeader.RECORDS_OFFSET];
        batch.get(batch.position() + RecordBatchHeader.RECORDS_OFFSET, bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void decompressesWhatKafkaClientsCompressedAndKafkaClientsReadsWhatItCompresses(CompressionType type) {
        SimpleRecord[] records = records();
        ByteBuffer plain = MemoryRecords.withRecords(Compression.NONE, records).buffer();
        ByteBuffer kafka = MemoryRecords.withRecords(Compression.of(type).build(), records).buffer();
        byte[] expected = recordsSection(plain);
        byte[] compressed = recordsSection(kafka);
        assertEquals(type.id, new RecordBatchHeader().wrap(kafka, 0).compressionCodec());

        byte[] decompressed = BatchCompression.decompress(type.id, compressed, 0, compressed.length);
        assertArrayEquals(expected, decompressed);

        byte[] ours = BatchCompression.compress(type.id, expected, 0, expected.length);
        assertTrue(ours.length < expected.length, "compressed " + ours.length + " of " + expected.length);
        assertArrayEquals(expected, BatchCompression.decompress(type.id, ours, 0, ours.length));

        ByteBuffer rebuilt = ByteBuffer.allocate(RecordBatchHeader.RECORDS_OFFSET + ours.length);
        rebuilt.put(0, kafka, 0, RecordBatchHeader.RECORDS_OFFSET);
        rebuilt.put(RecordBatchHeader.RECORDS_OFFSET, ours);
        RecordBatchHeader header = new RecordBatchHeader().wrap(rebuilt, 0);
        rebuilt.putInt(RecordBatchHeader.LENGTH_OFFSET, rebuilt.capacity() - RecordBatchHeader.LOG_OVERHEAD);
        rebuilt.putInt(RecordBatchHeader.CRC_OFFSET, (int) header.computeCrc());

        MemoryRecords read = MemoryRecords.readableRecords(rebuilt);
        List<org.apache.kafka.common.record.internal.Record> readRecords = new ArrayList<>();
        for (MutableRecordBatch batch : read.batches()) {
            batch.ensureValid();
            assertEquals(type, batch.compressionType());
            batch.forEach(readRecords::add);
        }
        assertEquals(records.length, readRecords.size());
        for (int i = 0; i < records.length; i++) {
            org.apache.kafka.common.record.internal.Record record = readRecords.get(i);
            assertEquals(i, record.offset());
            assertEquals(records[i].timestamp(), record.timestamp());
            assertEquals(records[i].key(), record.key());
            assertTrue(Arrays.equals(bytes(records[i].value()), bytes(record.value())), "value " + i);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
