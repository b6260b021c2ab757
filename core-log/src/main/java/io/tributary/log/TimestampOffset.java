package io.tributary.log;

/**
 * Result of a search by time: the first batch whose max timestamp is at or after the target.
 * Refining to the exact record needs the records themselves (which may be compressed), so that is
 * left to the caller, which reads {@code batch}.
 *
 * @param timestamp the batch's max timestamp
 * @param offset    the batch's base offset
 * @param batch     the batch's bytes on disk
 */
public record TimestampOffset(long timestamp, long offset, LogSlice batch) {
}
