package io.tributary.log.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The channel of an index file, opened on first use and given back by {@link #release()} while the index lives
 * on, so that an index nobody writes or searches holds no file descriptor (decision 0048; Kafka's
 * {@code LazyIndex} plays this part for its memory-mapped indexes). A use after a release opens the file again,
 * under the name it has by then: {@link #renameTo} moves the file and the name together.
 *
 * <p>States: <i>released</i> (no channel; the start) → <i>open</i> on a use → <i>released</i> again on
 * {@link #release()}; {@link #close()} ends both, after which a use throws {@link ClosedChannelException} rather
 * than create a file under a name that may be gone. A channel found closed while open (a thread interrupted in its
 * I/O closes a {@link FileChannel} for every thread) is opened again by the next use.
 *
 * <p>Thread-safety: any thread. A use holds the read lock across its I/O, so uses run side by side; opening,
 * release, rename and close take the write lock, so a release never closes the channel under a use.
 */
final class LazyChannel implements AutoCloseable {
    private final ChannelFactory files;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Guarded by {@link #lock}. */
    private Path path;
    /** Guarded by {@link #lock}; null while released. */
    private FileChannel channel;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /** I/O on the channel: what a use does while the channel is held open for it. */
    @FunctionalInterface
    interface Use<T> {
        T apply(FileChannel channel) throws IOException;
    }

    /** Released: nothing is opened until the first use. */
    LazyChannel(Path path, ChannelFactory files) {
        this.path = path;
        this.files = files;
    }

    /** Runs {@code use} on the channel, opening the file first if it is released. */
    <T> T apply(Use<T> use) throws IOException {
        while (true) {
            lock.readLock().lock();
            try {
                FileChannel open = channel;
                if (open != null && open.isOpen()) {
                    return use.apply(open);
                }
            } finally {
                lock.readLock().unlock();
            }
            open();
        }
    }

    private void open() throws IOException {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (channel == null || !channel.isOpen()) {
                channel = files.open(path);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Closes the channel if it is open; the next use opens the file again. */
    void release() throws IOException {
        lock.writeLock().lock();
        try {
            FileChannel open = channel;
            channel = null;
            if (open != null) {
                open.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether a channel is open now. */
    boolean isOpen() {
        lock.readLock().lock();
        try {
            return channel != null && channel.isOpen();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Moves the file to {@code target}; an open channel keeps working, a later open finds the new name. */
    void renameTo(Path target, CopyOption... options) throws IOException {
        lock.writeLock().lock();
        try {
            Files.move(path, target, options);
            path = target;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The file's current name. */
    Path path() {
        lock.readLock().lock();
        try {
            return path;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Releases the channel for good: later uses throw {@link ClosedChannelException}. */
    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            closed = true;
            release();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
