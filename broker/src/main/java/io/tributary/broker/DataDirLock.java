package io.tributary.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <log.dirs>/.lock}, held while the broker runs, so that a second
 * broker process (or a restarted one while the old one is still alive) cannot open the same data
 * directory. The OS releases it when the process dies, so a crash leaves nothing to clean up.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE_NAME = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException if another process (or this one) holds the lock */
    static DataDirLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("data directory " + dir + " is in use by another broker (" + file + " is locked)");
            }
            return new DataDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietlyAfter(channel, e);
            throw new IllegalStateException("data directory " + dir + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietlyAfter(channel, e);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    private static void closeQuietlyAfter(FileChannel channel, Exception cause) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException closing) {
                cause.addSuppressed(closing);
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + FILE_NAME, e);
        }
    }
}
