package io.tributary.pipeline;

/**
 * A transaction that ended with an abort marker in one partition: its records lie in
 * {@code [firstOffset, lastOffset]}, the last being the marker itself. A read_committed reader
 * drops the records of {@code producerId} from {@code firstOffset} on until it meets the marker.
 */
public record AbortedTransaction(long producerId, long firstOffset, long lastOffset) {
}
