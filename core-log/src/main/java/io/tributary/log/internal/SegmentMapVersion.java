package io.tributary.log.internal;

/**
 * A sequence count around the changes of a partition's segment map that replace segments in the
 * middle of it (the cleaner's swap puts the merged segment and then removes the ones it replaces, two
 * steps a lock-free reader can fall between). Odd while such a change is under way. A reader that
 * needs a segment together with its successor's base offset reads the count, looks both up, and
 * keeps them only if the count is still the even value it started with; otherwise it looks again.
 * Appends at the end (a roll) and removals at the start (retention) leave every pair a reader can
 * see consistent, so they do not count.
 */
final class SegmentMapVersion {
    private volatile long version;

    /** Called by the one writer (under the partition's segments lock) before it changes the map. */
    void beginChange() {
        version++;
    }

    /** Called by the writer once the map is consistent again. */
    void endChange() {
        version++;
    }

    /** The current count, waiting out a change under way (the writer holds it for a few map operations, no I/O). */
    long stableVersion() {
        long v = version;
        while ((v & 1) != 0) {
            Thread.onSpinWait();
            v = version;
        }
        return v;
    }

    /** Whether the map did not change since {@link #stableVersion()} returned {@code v}. */
    boolean unchangedSince(long v) {
        return version == v;
    }
}
