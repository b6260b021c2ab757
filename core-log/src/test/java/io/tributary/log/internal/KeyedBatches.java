package io.tributary.log.internal;

import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyed v2 batches for cleaner tests, built and decoded here independently of the cleaner's own
 * record code: {@code "k=v"} is a record with key k and value v, {@code "k="} a tombstone.
 */
final class KeyedBatches {
    /** A stored record: its offset, key and value (null for a tombstone). */
    record Rec(long offset, String key, String value) {
    }

    private KeyedBatches() {
    }

    /** One uncompressed batch from {@code baseOffset}, record i with timestamp {@code timestamp + i}. */
    static ByteBuffer batch(long baseOffset, long timestamp, String... records) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < records.length; i++) {
            String[] kv = records[i].split("=", -1);
            ByteArrayOutputStream rec = new ByteArrayOutputStream();
            rec.write(0);
            varlong(rec, i);
            varlong(rec, i);
            byte[] key = kv[0].getBytes(StandardCharsets.UTF_8);
            varlong(rec, key.length);
            rec.writeBytes(key);
            if (kv[1].isEmpty()) {
                varlong(rec, -1);
            } else {
                byte[] value = kv[1].getBytes(StandardCharsets.UTF_8);
                varlong(rec, value.length);
                rec.writeBytes(value);
            }
            varlong(rec, 0);
            varlong(body, rec.size());
            body.writeBytes(rec.toByteArray());
        }
        int size = RecordBatchHeader.HEADER_SIZE + body.size();
        ByteBuffer batch = ByteBuffer.allocate(size);
        batch.putLong(baseOffset).putInt(size - RecordBatchHeader.LOG_OVERHEAD).putInt(0).put(RecordBatchHeader.MAGIC_V2)
                .putInt(0).putShort((short) 0).putInt(records.length - 1).putLong(timestamp)
                .putLong(timestamp + records.length - 1).putLong(-1L).putShort((short) -1).putInt(-1)
                .putInt(records.length).put(body.toByteArray());
        batch.flip();
        batch.putInt(RecordBatchHeader.CRC_OFFSET, (int) new RecordBatchHeader().wrap(batch, 0).computeCrc());
        return batch;
    }

    /** Appends a batch of {@code records} at the log end and commits it. */
    static void append(PartitionLog log, long timestamp, String... records) throws IOException {
        log.append(batch(log.logEndOffset(), timestamp, records));
        log.highWatermark(log.logEndOffset());
    }

    /**
     * Appends a transactional batch of {@code producerId} at the log end and commits it (markers are
     * the test's business).
     */
    static void appendTransactional(PartitionLog log, long timestamp, long producerId, String... records)
            throws IOException {
        ByteBuffer batch = batch(log.logEndOffset(), timestamp, records);
        batch.putShort(RecordBatchHeader.ATTRIBUTES_OFFSET, (short) RecordBatchHeader.TRANSACTIONAL_FLAG_MASK);
        batch.putLong(RecordBatchHeader.PRODUCER_ID_OFFSET, producerId);
        batch.putShort(RecordBatchHeader.PRODUCER_EPOCH_OFFSET, (short) 0);
        batch.putInt(RecordBatchHeader.BASE_SEQUENCE_OFFSET, 0);
        batch.putInt(RecordBatchHeader.CRC_OFFSET, (int) new RecordBatchHeader().wrap(batch, 0).computeCrc());
        log.append(batch);
        log.highWatermark(log.logEndOffset());
    }

    /** Every record of the partition, in offset order, read as a consumer would; checks every CRC. */
    static List<Rec> readAll(PartitionLog log) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Slices.readAll(log, log.logStartOffset()));
        List<Rec> out = new ArrayList<>();
        RecordBatchHeader header = new RecordBatchHeader();
        for (int p = 0; p < bytes.limit(); p += header.sizeInBytes()) {
            header.wrap(bytes, p);
            if (!header.isCrcValid()) {
                throw new AssertionError("CRC mismatch in the batch at offset " + header.baseOffset());
            }
            ByteBuffer records = bytes.duplicate().position(p + RecordBatchHeader.HEADER_SIZE)
                    .limit(p + header.sizeInBytes()).slice();
            for (int i = 0; i < header.recordsCount(); i++) {
                varlong(records);
                records.get();
                varlong(records);
                long offset = header.baseOffset() + varlong(records);
                String key = string(records, (int) varlong(records));
                String value = string(records, (int) varlong(records));
                long headers = varlong(records);
                if (headers != 0) {
                    throw new AssertionError("unexpected headers");
                }
                out.add(new Rec(offset, key, value));
            }
        }
        return out;
    }

    /** The latest value per key of {@code records} (null for a tombstone). */
    static Map<String, String> latest(List<Rec> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Rec r : records) {
            latest.put(r.key(), r.value());
        }
        return latest;
    }

    private static String string(ByteBuffer buffer, int length) {
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void varlong(ByteArrayOutputStream out, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long varlong(ByteBuffer in) {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            b = in.get();
            raw |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
