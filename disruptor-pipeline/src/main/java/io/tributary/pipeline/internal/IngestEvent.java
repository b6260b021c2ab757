package io.tributary.pipeline.internal;

import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendCallback;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.Durability;
import io.tributary.pipeline.MarkerType;

import java.nio.ByteBuffer;

/**
 * One ring slot: an offered append and what the stages decided about it. Slots are reused; the
 * offering thread fills the input fields, each stage then writes only its own outputs, and the
 * commit stage clears the slot after completing the callback.
 */
final class IngestEvent {
    PartitionLog partition;
    ByteBuffer batches;
    /** {@link Durability#FSYNC}: the journal forces the partition before the append completes, whatever its policy. */
    Durability durability = Durability.FLUSH_POLICY;
    AppendCallback callback;
    /** A transaction marker built by the pipeline ({@code offerMarker}), not a producer's batch. */
    boolean marker;
    /** Set by the sequence stage on a marker: the transaction it ends, applied by the commit stage. */
    MarkerType markerType;
    PartitionTransactions transactions;
    long txnProducerId = -1L;
    long txnFirstOffset = -1L;

    /** Set by any stage that fails the append; later stages leave a failed event alone. */
    AppendError error = AppendError.NONE;
    String message;
    /** A retried idempotent batch already in the log: offsets below are the original ones, nothing is written. */
    boolean duplicate;
    long baseOffset = -1L;
    long lastOffset = -1L;
    long logAppendTime = -1L;

    void set(PartitionLog partition, ByteBuffer batches, Durability durability, AppendCallback callback) {
        this.partition = partition;
        this.batches = batches;
        this.durability = durability;
        this.callback = callback;
        this.marker = false;
        this.markerType = null;
        this.transactions = null;
        this.txnProducerId = -1L;
        this.txnFirstOffset = -1L;
        this.error = AppendError.NONE;
        this.message = null;
        this.duplicate = false;
        this.baseOffset = -1L;
        this.lastOffset = -1L;
        this.logAppendTime = -1L;
    }

    boolean failed() {
        return error != AppendError.NONE;
    }

    void fail(AppendError error, String message) {
        this.error = error;
        this.message = message;
    }

    /** True when the journal has to write this event's batches. */
    boolean needsWrite() {
        return !failed() && !duplicate;
    }

    AppendResult result(long logStartOffset) {
        return failed()
                ? AppendResult.failure(error, message)
                : AppendResult.success(baseOffset, logAppendTime, logStartOffset);
    }

    void clear() {
        partition = null;
        batches = null;
        callback = null;
        message = null;
        transactions = null;
    }
}
