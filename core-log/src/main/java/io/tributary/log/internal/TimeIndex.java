package io.tributary.log.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.CopyOption;
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
 * Timestamps strictly increase from entry to entry, relative offsets never decrease. Entries are
 * big-endian and appended at the end of the {@link IndexFile}, which owns the file itself. Derived
 * data, checked and rebuilt like the offset index. Lookups use an in-memory copy while the
 * segment is active and binary-search the file once it is not; the file is open only while something
 * needs it, as the offset index's.
 *
 * <p>Thread-safety: one writer; lookups from any thread see a prefix of the entries.
 */
final class TimeIndex implements AutoCloseable {
    static final int ENTRY_SIZE = 12;
    static final String SUFFIX = ".timeindex";

    private final IndexFile file;
    private final long baseOffset;
    private final ByteBuffer entryBuffer = ByteBuffer.allocate(ENTRY_SIZE);
    /**
     * Entry i as {@code [2i] = timestamp, [2i+1] = relative offset}; published by the file's entry
     * count. Null once the segment is inactive ({@link #releaseMemory()}): lookups then read the file.
     */
    private volatile long[] entries;
    private volatile long lastTimestamp = -1;
    private volatile long lastOffset;

    private TimeIndex(IndexFile file, long baseOffset, long[] entries) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entries = entries;
        this.lastOffset = baseOffset;
    }

    /** Opens the file (creating it empty) and loads its entries unchecked; see {@link #loadProblem}. */
    static TimeIndex open(Path path, long baseOffset, ChannelFactory files) throws IOException {
        IndexFile file = IndexFile.open(path, ENTRY_SIZE, files);
        try {
            ByteBuffer all = file.readAll();
            int n = file.entries();
            long[] entries = new long[2 * Math.max(16, n)];
            for (int i = 0; i < n; i++) {
                entries[2 * i] = all.getLong();
                entries[2 * i + 1] = all.getInt();
            }
            TimeIndex index = new TimeIndex(file, baseOffset, entries);
            index.setLast(n);
            return index;
        } catch (IOException | RuntimeException e) {
            FileIo.closeAfter(file, e);
            throw e;
        }
    }

    private void setLast(int n) throws IOException {
        if (n == 0) {
            lastTimestamp = -1;
            lastOffset = baseOffset;
        } else {
            ByteBuffer buffer = ByteBuffer.allocate(ENTRY_SIZE);
            lastTimestamp = timestampAt(entries, n - 1, buffer);
            lastOffset = baseOffset + relativeOffsetAt(entries, n - 1, buffer);
        }
    }

    /** Creates the file empty, cutting any left with that name; it is opened again by the first entry. */
    static TimeIndex create(Path path, long baseOffset, ChannelFactory files) throws IOException {
        return new TimeIndex(IndexFile.create(path, ENTRY_SIZE, files), baseOffset, new long[32]);
    }

    /** Why the loaded entries cannot be trusted for a segment ending before {@code nextOffset}, or null. */
    String loadProblem(long nextOffset) {
        String sizeProblem = file.sizeProblem();
        if (sizeProblem != null) {
            return sizeProblem;
        }
        long[] all = entries;
        int count = file.entries();
        for (int i = 0; i < count; i++) {
            long relative = all[2 * i + 1];
            long offset = baseOffset + relative;
            if (relative < 0 || offset >= nextOffset) {
                return "entry " + i + " points at offset " + offset + ", outside [" + baseOffset + ", " + nextOffset
                        + ")";
            }
            if (i > 0 && (all[2 * i] <= all[2 * i - 2] || relative < all[2 * i - 1])) {
                return "entry " + i + " (" + all[2 * i] + ", " + offset + ") is not after the previous one";
            }
        }
        return null;
    }

    /**
     * Offset to start a search for {@code timestamp} from: that of the last entry with a smaller
     * timestamp (every batch before it has a smaller max timestamp), else the segment's base.
     */
    long lookup(long timestamp) throws IOException {
        int n = file.entries();
        long[] snapshot = entries;
        ByteBuffer buffer = snapshot == null ? ByteBuffer.allocate(ENTRY_SIZE) : null;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (timestampAt(snapshot, mid, buffer) < timestamp) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? baseOffset : baseOffset + relativeOffsetAt(snapshot, found, buffer);
    }

    private long timestampAt(long[] snapshot, int i, ByteBuffer buffer) throws IOException {
        if (snapshot != null) {
            return snapshot[2 * i];
        }
        return file.read(i, buffer).getLong(0);
    }

    private long relativeOffsetAt(long[] snapshot, int i, ByteBuffer buffer) throws IOException {
        if (snapshot != null) {
            return snapshot[2 * i + 1];
        }
        return file.read(i, buffer).getInt(8);
    }

    /**
     * Drops the in-memory copy once the segment stops taking appends; lookups then binary-search
     * the file. Appends (the final entry at roll or close) still work, to the file only.
     */
    void releaseMemory() {
        entries = null;
    }

    /**
     * Appends {@code (timestamp, offset)} if {@code timestamp} is larger than the last entry's. The
     * memory slot is filled first; readers see it only once the file counts the entry.
     */
    void maybeAppend(long timestamp, long offset) throws IOException {
        int n = file.entries();
        if (timestamp < 0 || (n > 0 && timestamp <= lastTimestamp)) {
            return;
        }
        int relative = (int) (offset - baseOffset);
        long[] target = entries;
        if (target != null) {
            if (2 * n == target.length) {
                target = Arrays.copyOf(target, 4 * n);
            }
            target[2 * n] = timestamp;
            target[2 * n + 1] = relative;
            entries = target;
        }
        entryBuffer.clear();
        file.append(entryBuffer.putLong(timestamp).putInt(relative).flip());
        lastTimestamp = timestamp;
        lastOffset = offset;
    }

    int entries() {
        return file.entries();
    }

    /** Timestamp of the last entry, or -1 when there is none. */
    long lastTimestamp() {
        return lastTimestamp;
    }

    /** Offset of the last entry, or the base offset when there is none. */
    long lastOffset() {
        return lastOffset;
    }

    /** Drops entries from {@code n} on, in memory and on file. */
    void truncateToEntries(int n) throws IOException {
        if (n < file.entries()) {
            setLast(n);
        }
        file.truncateToEntries(n);
    }

    /** Forces the file if entries were added or removed since the last flush. */
    void flush() throws IOException {
        file.flush();
    }

    /**
     * Closes the file until a lookup in it, an append, a truncation or a needed flush opens it again
     * ({@link IndexFile#release()}).
     */
    void releaseFile() throws IOException {
        file.release();
    }

    /** Moves the file to {@code target}; see {@link LazyChannel#renameTo}. */
    void renameTo(Path target, CopyOption... options) throws IOException {
        file.renameTo(target, options);
    }

    Path path() {
        return file.path();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
