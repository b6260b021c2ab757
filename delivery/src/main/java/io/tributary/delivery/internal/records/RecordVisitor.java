package io.tributary.delivery.internal.records;

import java.nio.ByteBuffer;
import java.util.List;

/** Receives the records of the batches {@link RecordBatchReader} walks, in offset order. */
@FunctionalInterface
public interface RecordVisitor {
    /**
     * @param key   read-only view into the batch, or null for a null key
     * @param value read-only view into the batch, or null for a tombstone
     */
    void visit(long offset, long timestamp, ByteBuffer key, ByteBuffer value, List<RecordHeader> headers);
}
