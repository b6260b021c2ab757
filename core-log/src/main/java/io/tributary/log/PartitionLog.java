package io.tributary.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One partition: an ordered list of segments named by base offset, the last one active.
 *
 * <p>Single writer: {@link #append}, {@link #flush} and {@link #highWatermark(long)} are called by
 * one thread at a time (the ingest pipeline). Readers on other threads see data only up to the high
 * watermark, which the writer publishes after the bytes are written (and, for
 * {@link FlushPolicy#SYNC} topics, forced).
 */
public interface PartitionLog {
    String topic();

    int partition();

    /** The topic's current configuration; changes when the topic's config is altered. */
    LogConfig config();

    /** First offset still visible to readers (advances with retention and {@link #deleteRecordsBefore}). */
    long logStartOffset();

    /**
     * Raises the log start offset to {@code offset} (Kafka's DeleteRecords): reads below it fail
     * with {@link OffsetOutOfRangeException} at once, the new start offset is persisted before
     * this returns (it survives a restart), and the segments wholly below it are deleted by the
     * next retention pass. A smaller offset than the current start changes nothing. Safe from any
     * thread.
     *
     * @return the log start offset after the call
     * @throws OffsetOutOfRangeException if {@code offset} is negative or above the high watermark
     * @throws IOException               if the new start offset could not be persisted; it is then
     *                                   raised in memory only
     * @throws UnsupportedOperationException from implementations that cannot delete records (test doubles)
     */
    default long deleteRecordsBefore(long offset) throws IOException {
        throw new UnsupportedOperationException("deleteRecordsBefore is not supported by " + getClass().getName());
    }

    /** Offset the next appended batch gets (last stored offset + 1). */
    long logEndOffset();

    /** Offsets below this are readable. Equal to {@link #logEndOffset()} once the pipeline has committed. */
    long highWatermark();

    /** Publishes {@code offset} as the new high watermark. Called by the pipeline's commit stage. */
    void highWatermark(long offset);

    /**
     * Appends one or more complete v2 batches whose base offsets are already assigned, starting at
     * {@link #logEndOffset()} and contiguous. Rolls the active segment first when it is full or too
     * old. Does not force the data to disk: see {@link #flush()}.
     *
     * @throws IOException on a write failure (e.g. no space left); the log is then truncated back to
     *                     the last whole batch so that nothing half-written remains
     */
    void append(ByteBuffer batches) throws IOException;

    /** Forces everything appended so far to the storage device (fsync). Counted in {@link #flushCount()}. */
    void flush() throws IOException;

    /** Number of fsyncs of this partition's data files since open; for tests and metrics. */
    long flushCount();

    /**
     * Reads whole batches starting with the one that contains {@code offset}, up to
     * {@code maxBytes}, never past {@code maxOffset} (exclusive; normally the high watermark). If
     * the first batch is larger than {@code maxBytes} it is returned whole when
     * {@code minOneBatch} is set (Kafka's KIP-74 rule), else nothing is.
     *
     * @throws OffsetOutOfRangeException if {@code offset} is below the log start or above the end
     */
    LogSlice read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException;

    /** The first batch with max timestamp at or after {@code timestamp}, below the high watermark. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp) throws IOException;

    /** Visits the headers of every stored batch with base offset at or after {@code fromOffset}. */
    void scanBatches(long fromOffset, BatchVisitor visitor) throws IOException;

    /** Bytes stored in all segments. */
    long sizeInBytes();
}
