package io.tributary.delivery.internal.records;

import java.nio.ByteBuffer;

/**
 * One record header: a non-null key and a value that may be null. Buffers handed out by
 * {@link RecordBatchReader} are read-only views into the batch, valid while the batch is.
 */
public record RecordHeader(String key, ByteBuffer value) {
}
