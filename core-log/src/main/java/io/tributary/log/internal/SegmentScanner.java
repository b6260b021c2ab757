package io.tributary.log.internal;

import io.tributary.log.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the batches of a segment's {@code .log} file from a known batch boundary, checks each one
 * and indexes it, and stops at the first byte that is not the start of a valid batch.
 *
 * <p>A batch is valid when: its header fits in the file, its length is at least
 * {@code 61 - 12} and the whole batch fits in the file, magic is 2, its base offset is at least the
 * expected next offset (offsets only grow; the cleaner leaves gaps where it removed whole batches,
 * as Kafka's does), its last offset delta is not negative, its last offset is below the offset
 * limit (a closed segment's: the next segment's base offset) and, when asked, its CRC32C
 * matches. A zero-filled tail fails the length check.
 */
final class SegmentScanner {
    private static final String BELOW = "base offset ";
    private final ByteBuffer header = ByteBuffer.allocate(RecordBatchHeader.HEADER_SIZE);
    private final RecordBatchHeader flyweight = new RecordBatchHeader();
    private ByteBuffer batch = ByteBuffer.allocate(64 * 1024);

    /**
     * Outcome of a scan.
     *
     * @param validSize  bytes from the start of the file up to the end of the last valid batch
     * @param nextOffset the offset after the last valid batch
     * @param fileSize   the size of the file when scanned
     * @param problem    why the scan stopped before the end of the file, or null
     * @param backwards  whether it stopped at a base offset below the previous batch's last offset
     *                   (the previous batch's base offset may be the one that was hit)
     * @param previousPosition the position of the last valid batch this scan passed, or -1
     * @param previousOffset   the offset expected at {@code previousPosition}
     */
    record Result(int validSize, long nextOffset, long fileSize, String problem, boolean backwards,
                  long previousPosition, long previousOffset) {
        boolean truncated() {
            return problem != null;
        }
    }

    /**
     * Scans {@code segment} from {@code position}, where the batch with base {@code offset} must
     * start, to the end of its file, adding index entries as appends would have.
     */
    Result scan(LogSegment segment, int position, long offset, boolean checkCrc, int indexIntervalBytes)
            throws IOException {
        return scan(segment, position, offset, checkCrc, indexIntervalBytes, Long.MAX_VALUE);
    }

    /** As {@link #scan(LogSegment, int, long, boolean, int)}; every batch's offsets must be below {@code offsetLimit}. */
    Result scan(LogSegment segment, int position, long offset, boolean checkCrc, int indexIntervalBytes,
                long offsetLimit) throws IOException {
        FileChannel log = segment.channel();
        long fileSize = log.size();
        long pos = position;
        long expected = offset;
        long previousPosition = -1;
        long previousOffset = offset;
        while (pos < fileSize) {
            String problem = check(log, pos, fileSize, expected, checkCrc, offsetLimit);
            if (problem != null) {
                boolean backwards = problem.startsWith(BELOW);
                return new Result((int) pos, expected, fileSize, problem, backwards, previousPosition, previousOffset);
            }
            flyweight.wrap(header, 0);
            int batchSize = flyweight.sizeInBytes();
            segment.indexBatch(flyweight.baseOffset(), flyweight.maxTimestamp(), (int) pos, batchSize, indexIntervalBytes);
            previousPosition = pos;
            previousOffset = expected;
            expected = flyweight.lastOffset() + 1;
            pos += batchSize;
        }
        return new Result((int) pos, expected, fileSize, null, false, previousPosition, previousOffset);
    }

    private String check(FileChannel log, long pos, long fileSize, long expected, boolean checkCrc, long offsetLimit)
            throws IOException {
        if (fileSize - pos < RecordBatchHeader.HEADER_SIZE) {
            return "incomplete batch header (" + (fileSize - pos) + " bytes)";
        }
        header.clear();
        FileIo.readFully(log, header, pos);
        flyweight.wrap(header, 0);
        int length = flyweight.batchLength();
        if (length < RecordBatchHeader.HEADER_SIZE - RecordBatchHeader.LOG_OVERHEAD) {
            return "batch length " + length + " is below the minimum";
        }
        if (length > fileSize - pos - RecordBatchHeader.LOG_OVERHEAD || pos + flyweight.sizeInBytes() > Integer.MAX_VALUE) {
            return "batch length " + length + " runs past the end of the file";
        }
        if (flyweight.magic() != RecordBatchHeader.MAGIC_V2) {
            return "magic " + flyweight.magic() + " is not " + RecordBatchHeader.MAGIC_V2;
        }
        if (flyweight.baseOffset() < expected) {
            return BELOW + flyweight.baseOffset() + " below the expected " + expected;
        }
        if (flyweight.lastOffsetDelta() < 0) {
            return "negative last offset delta " + flyweight.lastOffsetDelta();
        }
        if (flyweight.lastOffset() >= offsetLimit || flyweight.lastOffset() < flyweight.baseOffset()) {
            return "offsets " + flyweight.baseOffset() + "+" + flyweight.lastOffsetDelta()
                    + " reach the next segment's base offset " + offsetLimit;
        }
        if (checkCrc && !crcValid(log, pos, flyweight.sizeInBytes())) {
            return "CRC32C mismatch";
        }
        return null;
    }

    private boolean crcValid(FileChannel log, long pos, int size) throws IOException {
        if (batch.capacity() < size) {
            batch = ByteBuffer.allocate(Math.max(size, batch.capacity() * 2));
        }
        batch.clear().limit(size);
        FileIo.readFully(log, batch, pos);
        return flyweight.wrap(batch, 0).isCrcValid();
    }
}
