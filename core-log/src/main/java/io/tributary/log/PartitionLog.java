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
 *
 * <p>Offline. Once a flush of the partition fails (the pipeline's {@link #forceData} or the log's own
 * background flusher of {@link FlushPolicy#ASYNC} topics), or a failed {@link #append} cannot be
 * cut back, the partition is <em>offline</em> for good, as Kafka takes a log directory offline
 * after an I/O error: {@link #offlineReason()} says why, {@link #append}, {@link #flush} and {@link #forceData} throw
 * {@link LogOfflineException} without touching the files, and nothing is fsynced again (after a
 * failed fsync the kernel may have dropped the dirty pages, so a later success would be a lie).
 * Reads go on, up to the high watermark. Only opening the log again (a broker restart) brings the
 * partition back; the log then validates its tail from disk, as after a crash.
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
     * @throws LogOfflineException if the partition is offline (nothing is written then), or goes
     *                             offline with this call: the write failed and so did cutting the
     *                             files back, so what lies past the log end is unknown
     * @throws IOException         on any other write failure (e.g. no space left); the log is then
     *                             truncated back to the last whole batch so that nothing
     *                             half-written remains, and takes the next append as before
     */
    void append(ByteBuffer batches) throws IOException;

    /**
     * Forces everything appended so far to the storage device (fsync). Counted in {@link #flushCount()}.
     *
     * @throws LogOfflineException if the fsync failed, which takes the partition offline, or an
     *                             earlier one did (nothing is forced then): the bytes appended since
     *                             the last successful flush may not be on the device
     */
    void flush() throws IOException;

    /**
     * Forces the records appended so far to the storage device: the data files (and the directory
     * after a roll), not the indexes, which recovery rebuilds from the data of every segment it
     * validates. What a durable acknowledgement needs, with one fsync where {@link #flush()} may take
     * three; the log forces the indexes later (with its next {@link #flush()}, at the latest when it
     * writes its recovery point checkpoint), and only then counts these offsets as recovered without
     * validation. Counted in {@link #flushCount()}; fails as {@link #flush()} does.
     */
    void forceData() throws IOException;

    /**
     * Why the partition is offline, or empty while it takes appends (see the class comment). Once
     * present it stays so until the log is reopened. The text is that of the
     * {@link LogOfflineException} that {@link #append} then throws: the partition, the failed
     * operation and its first uncertain offset, the original failure, and that a broker restart
     * recovers it. Cheap enough to call per append (one volatile read; allocates nothing while
     * the partition is online). Safe from any thread.
     *
     * <p>The default is for implementations that never go offline (in-memory test doubles).
     */
    default Optional<String> offlineReason() {
        return Optional.empty();
    }

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
