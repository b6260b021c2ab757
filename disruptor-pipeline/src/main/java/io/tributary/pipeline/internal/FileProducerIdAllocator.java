package io.tributary.pipeline.internal;

import io.tributary.pipeline.ProducerIdAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Hands out producer ids in blocks of {@value #BLOCK_SIZE}, persisting the start of the next
 * block before any id of the current one is used, so a restart never reuses an id (it skips the
 * rest of the block instead).
 *
 * <pre>
 * &lt;stateDir&gt;/producer-id-block    one line, ASCII decimal: the first id of the next block, e.g. "3000\n"
 * </pre>
 *
 * The file is replaced atomically (write a temporary file, fsync it, rename, fsync the directory).
 */
final class FileProducerIdAllocator implements ProducerIdAllocator {
    static final String FILE_NAME = "producer-id-block";
    static final int BLOCK_SIZE = 1000;

    private final Path file;
    private long next;
    private long blockEnd;

    private FileProducerIdAllocator(Path file, long next) {
        this.file = file;
        this.next = next;
        this.blockEnd = next;
    }

    /** Reads the next block start from {@code stateDir}, or starts at 0 if the file is absent. */
    static FileProducerIdAllocator open(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(FILE_NAME);
        long next = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            try {
                next = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IOException("corrupt " + file + ": '" + text + "'", e);
            }
            if (next < 0) {
                throw new IOException("corrupt " + file + ": negative id " + next);
            }
        }
        return new FileProducerIdAllocator(file, next);
    }

    /** @throws UncheckedIOException if a new block cannot be persisted; no id is handed out then */
    @Override
    public synchronized long nextProducerId() {
        if (next == blockEnd) {
            long newEnd = blockEnd + BLOCK_SIZE;
            try {
                persist(newEnd);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot persist producer id block in " + file, e);
            }
            blockEnd = newEnd;
        }
        return next++;
    }

    private void persist(long nextBlockStart) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        byte[] bytes = (nextBlockStart + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself is still atomic there.
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                throw e;
            }
        }
    }
}
