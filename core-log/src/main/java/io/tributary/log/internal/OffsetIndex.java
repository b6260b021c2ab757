package io.tributary.log.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.CopyOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sparse offset index of one segment ({@code %020d.index}): maps the base offset of some batches to
 * their byte position in the segment's {@code .log} file. An entry is added before a batch once more
 * than {@code index.interval.bytes} were appended since the previous entry, so a lookup lands at
 * most that many bytes (plus one batch) before the wanted batch and scans forward from there.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Relative Offset (int32): batch base offset - segment base    |  0
 *  +---------------------------------------------------------------+
 *  |   Position (int32): where the batch starts in the .log file    |  4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Entries are big-endian, strictly increasing in both fields, and appended at the end of the
 * {@link IndexFile}, which owns the file itself. The file is derived data: {@link SegmentLoader} checks it at open and
 * rebuilds it from the {@code .log} file when in doubt. Lookups use an in-memory copy while the
 * segment is active and binary-search the file once it is not. The file is open only while something
 * needs it ({@link #releaseFile()}): a segment's index costs no descriptor until its first entry.
 *
 * <p>Thread-safety: one writer; lookups from any thread see a prefix of the entries.
 */
final class OffsetIndex implements AutoCloseable {
    static final int ENTRY_SIZE = 8;
    static final String SUFFIX = ".index";

    private final IndexFile file;
    private final long baseOffset;
    private final ByteBuffer entryBuffer = ByteBuffer.allocate(ENTRY_SIZE);
    /**
     * Entry i packed as relativeOffset << 32 | position; published by the file's entry count. Null
     * once the segment is inactive ({@link #releaseMemory()}): lookups then read the file.
     */
    private volatile long[] entries;
    /** The last entry, or -1; kept apart so it needs neither the array nor a read. */
    private volatile long lastEntry;

    private OffsetIndex(IndexFile file, long baseOffset, long[] entries) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entries = entries;
        int count = file.entries();
        this.lastEntry = count == 0 ? -1 : entries[count - 1];
    }

    /**
     * Opens the index file (creating it empty) and loads its entries as they are, unchecked; a file
     * whose size is not a whole number of entries loads as empty and {@link #loadProblem()} says so.
     */
    static OffsetIndex open(Path path, long baseOffset, ChannelFactory files) throws IOException {
        IndexFile file = IndexFile.open(path, ENTRY_SIZE, files);
        ByteBuffer all;
        try {
            all = file.readAll();
        } catch (IOException | RuntimeException e) {
            FileIo.closeAfter(file, e);
            throw e;
        }
        int n = file.entries();
        long[] entries = new long[Math.max(16, n)];
        for (int i = 0; i < n; i++) {
            entries[i] = all.getLong();
        }
        return new OffsetIndex(file, baseOffset, entries);
    }

    /** Creates the file empty, cutting any left with that name; it is opened again by the first entry. */
    static OffsetIndex create(Path path, long baseOffset, ChannelFactory files) throws IOException {
        return new OffsetIndex(IndexFile.create(path, ENTRY_SIZE, files), baseOffset, new long[16]);
    }

    /** Why the entries as loaded cannot be trusted for a log file of {@code logSize} bytes, or null. */
    String loadProblem(long logSize) {
        String sizeProblem = file.sizeProblem();
        if (sizeProblem != null) {
            return sizeProblem;
        }
        int count = file.entries();
        long previous = -1;
        for (int i = 0; i < count; i++) {
            long entry = entries[i];
            int relative = (int) (entry >>> 32);
            int position = (int) entry;
            if (relative < 0 || position < 0 || position >= logSize) {
                return "entry " + i + " (" + relative + ", " + position + ") points outside the log of " + logSize
                        + " bytes";
            }
            if (previous >= 0 && (relative <= (int) (previous >>> 32) || position <= (int) previous)) {
                return "entry " + i + " (" + relative + ", " + position + ") is not after the previous one";
            }
            previous = entry;
        }
        return null;
    }

    /** Position to start scanning from for {@code offset}: the largest entry at or below it, else 0. */
    int lookup(long offset) throws IOException {
        long entry = floor(Long.MAX_VALUE, offset);
        return entry < 0 ? 0 : (int) entry;
    }

    /**
     * The last entry whose position is at most {@code maxPosition} and whose offset is at most
     * {@code maxOffset}, packed as {@code relativeOffset << 32 | position}, or -1 if none. Both
     * fields grow from entry to entry, so the entries that qualify form a prefix.
     */
    long floorByPosition(long maxPosition, long maxOffset) throws IOException {
        return floor(maxPosition, maxOffset);
    }

    private long floor(long maxPosition, long maxOffset) throws IOException {
        int n = file.entries();
        long[] snapshot = entries;
        ByteBuffer buffer = snapshot == null ? ByteBuffer.allocate(ENTRY_SIZE) : null;
        long relative = maxOffset - baseOffset;
        int lo = 0;
        int hi = n - 1;
        long found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long entry = entryAt(snapshot, mid, buffer);
            if ((int) entry <= maxPosition && (entry >>> 32) <= relative) {
                found = entry;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private long entryAt(long[] snapshot, int i, ByteBuffer buffer) throws IOException {
        if (snapshot != null) {
            return snapshot[i];
        }
        return file.read(i, buffer).getLong(0);
    }

    /**
     * Drops the in-memory copy once the segment stops taking appends; lookups then binary-search
     * the file (page cache) instead, so old segments cost no heap.
     */
    void releaseMemory() {
        entries = null;
    }

    /**
     * Appends an entry for the batch with base {@code offset} at {@code position}, in memory and on
     * file. The memory slot is filled first; readers see it only once the file counts the entry.
     */
    void append(long offset, int position) throws IOException {
        int n = file.entries();
        long entry = (offset - baseOffset) << 32 | (position & 0xFFFF_FFFFL);
        long[] target = entries;
        if (target != null) {
            if (n == target.length) {
                target = Arrays.copyOf(target, n * 2);
            }
            target[n] = entry;
            entries = target;
        }
        entryBuffer.clear();
        file.append(entryBuffer.putLong(entry).flip());
        lastEntry = entry;
    }

    int entries() {
        return file.entries();
    }

    /** Position of the last entry, or 0 when there is none. */
    int lastPosition() {
        long entry = lastEntry;
        return entry < 0 ? 0 : (int) entry;
    }

    /** Offset of the last entry, or the segment's base offset when there is none. */
    long lastOffset() {
        long entry = lastEntry;
        return entry < 0 ? baseOffset : baseOffset + (entry >>> 32);
    }

    /** Drops entries from {@code n} on, in memory and on file. */
    void truncateToEntries(int n) throws IOException {
        if (n < file.entries()) {
            lastEntry = n == 0 ? -1 : entryAt(entries, n - 1, ByteBuffer.allocate(ENTRY_SIZE));
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
