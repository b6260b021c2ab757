package io.tributary.log.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Path;

/**
 * The file under an index: a packed array of fixed-width entries, appended at the end, with no
 * header and no preallocation, so entry {@code i} starts at byte {@code i * entrySize}.
 *
 * <pre>
 *  +-----------------+-----------------+-----+---------------------+
 *  | entry 0         | entry 1         | ... | entry count - 1     |
 *  | entrySize bytes | entrySize bytes |     | entrySize bytes     |
 *  +-----------------+-----------------+-----+---------------------+
 *  0                 entrySize                                     count * entrySize
 * </pre>
 *
 * It knows nothing of what an entry holds: {@link OffsetIndex} and {@link TimeIndex} draw their
 * layouts and interpret the bytes. It owns the file (through a {@link LazyChannel}, so that it holds
 * a descriptor only while in use: {@link #release()}), the entry count, truncation and the
 * flush-only-when-changed rule. A file whose length is not a whole number of entries opens as
 * empty, and {@link #sizeProblem()} says so until it is truncated.
 *
 * <p>Thread-safety: one writer. {@link #entries()} is the publication point: an entry appended
 * before the count moved is visible, in the file, to any thread that reads the new count.
 */
final class IndexFile implements AutoCloseable {
    private final LazyChannel channel;
    private final int entrySize;
    private volatile int count;
    /** Entries when last forced; -1 forces at the next flush. */
    private volatile int flushedCount;
    /** Length of a file that held no whole number of entries, or -1. */
    private long badFileSize;

    private IndexFile(LazyChannel channel, int entrySize, int count, int flushedCount, long badFileSize) {
        this.channel = channel;
        this.entrySize = entrySize;
        this.count = count;
        this.flushedCount = flushedCount;
        this.badFileSize = badFileSize;
    }

    /**
     * Opens {@code path} (creating it empty) as entries of {@code entrySize} bytes, and leaves it open for the
     * loading that follows. A file longer than {@link Integer#MAX_VALUE} or not a multiple of {@code entrySize}
     * opens with no entries and a {@link #sizeProblem()}; its bytes stay on disk until {@link #truncateToEntries}
     * cuts them.
     */
    static IndexFile open(Path path, int entrySize, ChannelFactory files) throws IOException {
        checkEntrySize(entrySize);
        LazyChannel channel = new LazyChannel(path, files);
        long size;
        try {
            size = channel.apply(FileChannel::size);
        } catch (IOException | RuntimeException e) {
            FileIo.closeAfter(channel, e);
            throw e;
        }
        if (size % entrySize != 0 || size > Integer.MAX_VALUE) {
            return new IndexFile(channel, entrySize, 0, -1, size);
        }
        return new IndexFile(channel, entrySize, (int) (size / entrySize), -1, -1);
    }

    /**
     * Creates {@code path} empty (cutting any file left with that name) and closes it again: a new index
     * holds no descriptor until its first entry. Only a cut file needs the next {@link #flush()} to force it.
     */
    static IndexFile create(Path path, int entrySize, ChannelFactory files) throws IOException {
        checkEntrySize(entrySize);
        long leftover;
        try (FileChannel created = files.open(path)) {
            leftover = created.size();
            if (leftover > 0) {
                created.truncate(0);
            }
        }
        return new IndexFile(new LazyChannel(path, files), entrySize, 0, leftover > 0 ? -1 : 0, -1);
    }

    private static void checkEntrySize(int entrySize) {
        if (entrySize <= 0) {
            throw new IllegalArgumentException("entry size must be positive: " + entrySize);
        }
    }

    /** Why the file's entries were not loaded ("file size ... is not a multiple of ..."), or null. */
    String sizeProblem() {
        return badFileSize < 0 ? null : "file size " + badFileSize + " is not a multiple of " + entrySize;
    }

    /** Reads every entry into a new buffer, flipped: {@code entries() * entrySize} bytes, in file order. */
    ByteBuffer readAll() throws IOException {
        ByteBuffer all = ByteBuffer.allocate(count * entrySize);
        channel.apply(c -> {
            FileIo.readFully(c, all, 0);
            return null;
        });
        return all.flip();
    }

    /**
     * Reads entry {@code i} into {@code dst} from its start, which must hold exactly one entry, and
     * returns {@code dst} with position 0 and limit {@code entrySize}.
     */
    ByteBuffer read(int i, ByteBuffer dst) throws IOException {
        dst.clear();
        channel.apply(c -> {
            FileIo.readFully(c, dst, (long) i * entrySize);
            return null;
        });
        return dst.flip();
    }

    /**
     * Writes {@code entry} (exactly one entry's bytes, from its position) after the last entry, then
     * counts it. If the write fails the count stays, so the next append overwrites the torn bytes.
     */
    void append(ByteBuffer entry) throws IOException {
        if (entry.remaining() != entrySize) {
            throw new IllegalArgumentException("entry of " + entry.remaining() + " bytes, expected " + entrySize);
        }
        int n = count;
        channel.apply(c -> {
            FileIo.writeFully(c, entry, (long) n * entrySize);
            return null;
        });
        count = n + 1;
    }

    /** Number of entries, as published to readers. */
    int entries() {
        return count;
    }

    /**
     * Drops the entries from {@code n} on and cuts the file to {@code n} entries; a larger {@code n}
     * keeps the entries but still cuts any bytes beyond it. Clears a {@link #sizeProblem()} and makes
     * the next {@link #flush()} force the file.
     */
    void truncateToEntries(int n) throws IOException {
        if (n < count) {
            count = n;
        }
        channel.apply(c -> c.truncate((long) n * entrySize));
        badFileSize = -1;
        flushedCount = -1;
    }

    /** Forces the file if entries were added or removed since the last flush; a no-op otherwise. */
    void flush() throws IOException {
        int n = count;
        if (n != flushedCount) {
            channel.apply(c -> {
                c.force(false);
                return null;
            });
            flushedCount = n;
        }
    }

    /**
     * Closes the file's channel until the next read, append, truncation or needed flush opens it again:
     * for an index whose segment takes no more appends once it was flushed, or whose entries were just loaded.
     */
    void release() throws IOException {
        channel.release();
    }

    /** Moves the file to {@code target}, which later opens then use. */
    void renameTo(Path target, CopyOption... options) throws IOException {
        channel.renameTo(target, options);
    }

    /** The file's current name. */
    Path path() {
        return channel.path();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
