package io.tributary.log.internal;

/**
 * A damaged range of a closed segment: from byte {@code position} (a batch start) up to
 * {@code endPosition}, offsets {@code firstOffset}..{@code lastOffset} (the offsets the range
 * should hold; {@link Long#MAX_VALUE} when the damage reaches the segment end and the following
 * offsets are unknown).
 */
record SegmentDamage(long position, long endPosition, long firstOffset, long lastOffset, String reason) {
    boolean containsOffset(long offset) {
        return offset >= firstOffset && offset <= lastOffset;
    }
}
