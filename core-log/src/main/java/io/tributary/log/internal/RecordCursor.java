package io.tributary.log.internal;

import io.tributary.log.RecordBatchHeader;

import java.nio.ByteBuffer;

/**
 * Walks the records of one uncompressed v2 batch in place, exposing each record's span, offset,
 * key and whether it is a tombstone, without copying or allocating.
 *
 * <pre>
 *  record:  length (varint) | attributes (int8) | timestampDelta (varlong) | offsetDelta (varint)
 *           | keyLength (varint, -1 = null) | key | valueLength (varint, -1 = null: a tombstone)
 *           | value | headerCount (varint) | headers ...
 * </pre>
 *
 * {@code length} counts the bytes after itself, so a record can be skipped or copied whole without
 * reading its headers.
 */
final class RecordCursor {
    private ByteBuffer buffer;
    private long baseOffset;
    private long baseTimestamp;
    private int position;
    private int end;
    private int remaining;

    private int recordStart;
    private int recordEnd;
    private long offset;
    private long timestamp;
    private int keyPosition;
    private int keyLength;
    private boolean tombstone;

    /** Points the cursor before the first record of the batch at {@code batchStart}. */
    RecordCursor reset(ByteBuffer buffer, int batchStart, RecordBatchHeader header) {
        this.buffer = buffer;
        this.baseOffset = header.baseOffset();
        this.baseTimestamp = buffer.getLong(batchStart + RecordBatchHeader.BASE_TIMESTAMP_OFFSET);
        this.position = batchStart + RecordBatchHeader.RECORDS_OFFSET;
        this.end = batchStart + header.sizeInBytes();
        this.remaining = buffer.getInt(batchStart + RecordBatchHeader.RECORDS_COUNT_OFFSET);
        return this;
    }

    /**
     * Moves to the next record; false after the last.
     *
     * @throws IllegalStateException if a record runs past the batch (a corrupt batch)
     */
    boolean next() {
        if (remaining <= 0 || position >= end) {
            return false;
        }
        remaining--;
        recordStart = position;
        int length = readVarint();
        int bodyStart = position;
        recordEnd = bodyStart + length;
        if (length < 0 || recordEnd > end) {
            throw new IllegalStateException("Record of " + length + " bytes at " + recordStart + " runs past its batch");
        }
        position++; // attributes
        timestamp = baseTimestamp + readVarlong();
        offset = baseOffset + readVarint();
        keyLength = readVarint();
        keyPosition = position;
        if (keyLength > 0) {
            position += keyLength;
        }
        int valueLength = readVarint();
        tombstone = valueLength < 0;
        position = recordEnd;
        return true;
    }

    long offset() {
        return offset;
    }

    long timestamp() {
        return timestamp;
    }

    boolean hasKey() {
        return keyLength >= 0;
    }

    int keyPosition() {
        return keyPosition;
    }

    int keyLength() {
        return keyLength;
    }

    boolean isTombstone() {
        return tombstone;
    }

    /** Start of the current record (its length varint) in the buffer. */
    int recordStart() {
        return recordStart;
    }

    /** Bytes of the current record, its length varint included. */
    int recordSize() {
        return recordEnd - recordStart;
    }

    private int readVarint() {
        int raw = 0;
        int shift = 0;
        byte b;
        do {
            if (shift > 28) {
                throw new IllegalStateException("Varint too long at " + position);
            }
            b = buffer.get(position++);
            raw |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private long readVarlong() {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            if (shift > 63) {
                throw new IllegalStateException("Varlong too long at " + position);
            }
            b = buffer.get(position++);
            raw |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
