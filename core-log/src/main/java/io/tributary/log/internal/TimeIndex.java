package io.tributary.log.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sparse time index of one segment ({@code %020d.timeindex}): the largest batch max timestamp seen
 * so far in the segment and the base offset of the batch that carried it. Written at the same
 * cadence as the {@link OffsetIndex}, only when the timestamp grew, plus one last entry when the
 * segment stops being active or is closed, so the last entry is the segment's largest timestamp.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Timestamp (int64): max batch timestamp so far, epoch millis  |  0
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |   Relative Offset (int32): base offset of that batch - base    |  8
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Timestamps strictly increase from entry to entry, relative offsets never decrease. Derived
 * data, checked and rebuilt like the offset index.
 *
 * <p>Thread-safety: one writer; lookups from any thread see a prefix of the entries.
 */
final class TimeIndex implements AutoCloseable {
    static final int ENTRY_SIZE = 12;
    static final String SUFFIX = ".timeindex";

    private final Path path;
    private final long baseOffset;
    private final FileChannel channel;
    private final ByteBuffer entryBuffer = ByteBuffer.allocate(ENTRY_SIZE);
    private volatile long[] timestamps;
    private volatile int[] relativeOffsets;
    private volatile int count;
    /** Entries when last forced; -1 forces at the next flush. */
    private volatile int flushedCount = -1;
    private long badFileSize;

    private TimeIndex(Path path, long baseOffset, FileChannel channel, int capacity, long badFileSize) {
        this.path = path;
        this.baseOffset = baseOffset;
        this.channel = channel;
        this.timestamps = new long[capacity];
        this.relativeOffsets = new int[capacity];
        this.badFileSize = badFileSize;
    }

    /** Opens the file (creating it empty) and loads its entries unchecked; see {@link #loadProblem}. */
    static TimeIndex open(Path path, long baseOffset, ChannelFactory files) throws IOException {
        FileChannel channel = files.open(path);
        long size = channel.size();
        if (size % ENTRY_SIZE != 0 || size > Integer.MAX_VALUE) {
            return new TimeIndex(path, baseOffset, channel, 16, size);
        }
        ByteBuffer all = ByteBuffer.allocate((int) size);
        FileIo.readFully(channel, all, 0);
        all.flip();
        int n = (int) (size / ENTRY_SIZE);
        TimeIndex index = new TimeIndex(path, baseOffset, channel, Math.max(16, n), -1);
        for (int i = 0; i < n; i++) {
            index.timestamps[i] = all.getLong();
            index.relativeOffsets[i] = all.getInt();
        }
        index.count = n;
        return index;
    }

    /** Why the loaded entries cannot be trusted for a segment ending before {@code nextOffset}, or null. */
    String loadProblem(long nextOffset) {
        if (badFileSize >= 0) {
            return "file size " + badFileSize + " is not a multiple of " + ENTRY_SIZE;
        }
        for (int i = 0; i < count; i++) {
            long offset = baseOffset + relativeOffsets[i];
            if (relativeOffsets[i] < 0 || offset >= nextOffset) {
                return "entry " + i + " points at offset " + offset + ", outside [" + baseOffset + ", " + nextOffset
                        + ")";
            }
            if (i > 0 && (timestamps[i] <= timestamps[i - 1] || relativeOffsets[i] < relativeOffsets[i - 1])) {
                return "entry " + i + " (" + timestamps[i] + ", " + offset + ") is not after the previous one";
            }
        }
        return null;
    }

    /**
     * Offset to start a search for {@code timestamp} from: that of the last entry with a smaller
     * timestamp (every batch before it has a smaller max timestamp), else the segment's base.
     */
    long lookup(long timestamp) {
        int n = count;
        long[] ts = timestamps;
        int[] rel = relativeOffsets;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < timestamp) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? baseOffset : baseOffset + rel[found];
    }

    /** Appends {@code (timestamp, offset)} if {@code timestamp} is larger than the last entry's. */
    void maybeAppend(long timestamp, long offset) throws IOException {
        int n = count;
        if (timestamp < 0 || (n > 0 && timestamp <= timestamps[n - 1])) {
            return;
        }
        int relative = (int) (offset - baseOffset);
        entryBuffer.clear();
        entryBuffer.putLong(timestamp).putInt(relative).flip();
        FileIo.writeFully(channel, entryBuffer, (long) n * ENTRY_SIZE);
        if (n == timestamps.length) {
            long[] grownTs = Arrays.copyOf(timestamps, n * 2);
            int[] grownRel = Arrays.copyOf(relativeOffsets, n * 2);
            grownTs[n] = timestamp;
            grownRel[n] = relative;
            timestamps = grownTs;
            relativeOffsets = grownRel;
        } else {
            timestamps[n] = timestamp;
            relativeOffsets[n] = relative;
        }
        count = n + 1;
    }

    int entries() {
        return count;
    }

    /** Timestamp of the last entry, or -1 when there is none. */
    long lastTimestamp() {
        int n = count;
        return n == 0 ? -1 : timestamps[n - 1];
    }

    /** Offset of the last entry, or the base offset when there is none. */
    long lastOffset() {
        int n = count;
        return n == 0 ? baseOffset : baseOffset + relativeOffsets[n - 1];
    }

    /** Drops entries from {@code n} on, in memory and on file. */
    void truncateToEntries(int n) throws IOException {
        if (n < count) {
            count = n;
        }
        channel.truncate((long) n * ENTRY_SIZE);
        badFileSize = -1;
        flushedCount = -1;
    }

    /** Forces the file if entries were added or removed since the last flush. */
    void flush() throws IOException {
        int n = count;
        if (n != flushedCount) {
            channel.force(false);
            flushedCount = n;
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
