package io.tributary.delivery.internal.records;

import io.tributary.log.RecordBatchHeader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the records of whole uncompressed v2 batches (the layout {@link RecordBatchWriter} draws),
 * checking magic, CRC32C and compression of each batch. Control batches are skipped.
 */
public final class RecordBatchReader {
    private RecordBatchReader() {
    }

    /**
     * Visits every record of the whole batches between {@code batches.position()} and its limit; a
     * trailing partial batch is ignored. Does not move the buffer's position.
     *
     * @return the offset after the last record visited, or -1 if there was no whole batch
     * @throws CorruptRecordException on a bad magic, CRC, compression codec or record
     */
    public static long forEach(ByteBuffer batches, RecordVisitor visitor) {
        ByteBuffer view = batches.duplicate();
        RecordBatchHeader header = new RecordBatchHeader();
        long next = -1L;
        int position = view.position();
        while (view.limit() - position >= RecordBatchHeader.HEADER_SIZE) {
            header.wrap(view, position);
            int size = header.sizeInBytes();
            if (size < RecordBatchHeader.HEADER_SIZE) {
                throw new CorruptRecordException("batch length " + header.batchLength() + " at " + position);
            }
            if (view.limit() - position < size) {
                break;
            }
            if (header.magic() != RecordBatchHeader.MAGIC_V2) {
                throw new CorruptRecordException("magic " + header.magic() + " at offset " + header.baseOffset());
            }
            if (!header.isCrcValid()) {
                throw new CorruptRecordException("CRC mismatch in batch at offset " + header.baseOffset());
            }
            if (!header.isControl()) {
                if (header.compressionCodec() != 0) {
                    throw new CorruptRecordException("compressed batch at offset " + header.baseOffset());
                }
                readRecords(view.duplicate().limit(position + size).position(position + RecordBatchHeader.RECORDS_OFFSET),
                        header.baseOffset(), header.baseTimestamp(), header.recordsCount(), visitor);
            }
            next = header.lastOffset() + 1;
            position += size;
        }
        return next;
    }

    private static void readRecords(ByteBuffer records, long baseOffset, long baseTimestamp, int count,
                                    RecordVisitor visitor) {
        try {
            for (int i = 0; i < count; i++) {
                int length = Varints.getVarint(records);
                int end = records.position() + length;
                records.get();
                long timestamp = baseTimestamp + Varints.getVarlong(records);
                long offset = baseOffset + Varints.getVarint(records);
                ByteBuffer key = readBytes(records);
                ByteBuffer value = readBytes(records);
                int headerCount = Varints.getVarint(records);
                List<RecordHeader> headers = headerCount == 0 ? List.of() : new ArrayList<>(headerCount);
                for (int h = 0; h < headerCount; h++) {
                    ByteBuffer headerKey = readBytes(records);
                    if (headerKey == null) {
                        throw new CorruptRecordException("null header key at offset " + offset);
                    }
                    headers.add(new RecordHeader(StandardCharsets.UTF_8.decode(headerKey).toString(), readBytes(records)));
                }
                if (records.position() != end) {
                    throw new CorruptRecordException("record length mismatch at offset " + offset);
                }
                visitor.visit(offset, timestamp, key, value, headers);
            }
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new CorruptRecordException("truncated record in batch at offset " + baseOffset);
        }
    }

    private static ByteBuffer readBytes(ByteBuffer records) {
        int length = Varints.getVarint(records);
        if (length < 0) {
            return null;
        }
        ByteBuffer slice = records.slice(records.position(), length).asReadOnlyBuffer();
        records.position(records.position() + length);
        return slice;
    }
}
