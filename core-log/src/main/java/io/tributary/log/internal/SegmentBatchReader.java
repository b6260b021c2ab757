package io.tributary.log.internal;

import io.tributary.log.RecordBatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a closed segment's batches in large chunks into one reusable heap buffer and hands each
 * whole batch to a visitor, for the cleaner. Reads count against the cleaner's {@link Throttler}.
 */
final class SegmentBatchReader {
    private static final int CHUNK = 1 << 20;

    private final Throttler throttler;
    private final RecordBatchHeader header = new RecordBatchHeader();
    private ByteBuffer buffer = ByteBuffer.allocate(CHUNK);

    SegmentBatchReader(Throttler throttler) {
        this.throttler = throttler;
    }

    /** Receives each batch: its bytes are {@code header.sizeInBytes()} from {@code header.offset()}. */
    @FunctionalInterface
    interface Visitor {
        /** Returns false to stop reading. */
        boolean visit(ByteBuffer buffer, RecordBatchHeader header) throws IOException, InterruptedException;
    }

    /** Visits the batches of {@code segment} up to its size when called; false if the visitor stopped. */
    boolean read(LogSegment segment, Visitor visitor) throws IOException, InterruptedException {
        long size = segment.size();
        long filePosition = 0;
        while (filePosition < size) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), size - filePosition));
            FileIo.readFully(segment.channel(), buffer, filePosition);
            buffer.flip();
            throttler.acquire(buffer.limit());
            int p = 0;
            while (buffer.limit() - p >= RecordBatchHeader.HEADER_SIZE) {
                header.wrap(buffer, p);
                int batchSize = header.sizeInBytes();
                if (batchSize > buffer.limit() - p) {
                    break;
                }
                if (!visitor.visit(buffer, header)) {
                    return false;
                }
                p += batchSize;
            }
            if (p == 0) {
                if (buffer.limit() < RecordBatchHeader.HEADER_SIZE) {
                    throw new IOException("Incomplete batch of " + buffer.limit() + " bytes at position " + filePosition
                            + " of " + segment.logFile());
                }
                int batchSize = header.wrap(buffer, 0).sizeInBytes();
                if (batchSize < RecordBatchHeader.HEADER_SIZE || filePosition + batchSize > size) {
                    throw new IOException("Corrupt batch of " + batchSize + " bytes at position " + filePosition
                            + " of " + segment.logFile());
                }
                buffer = ByteBuffer.allocate(Math.max(batchSize, buffer.capacity() * 2));
                continue;
            }
            filePosition += p;
        }
        return true;
    }
}
