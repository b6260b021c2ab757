package io.tributary.pipeline.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * Where the {@link ProducerStateSnapshot}s live: one file per partition, in the pipeline's state
 * directory, not in the partition's own directory, which core-log owns (it deletes {@code *.tmp}
 * files there at load, and everything in it when a topic of that name is created or deleted).
 *
 * <pre>
 * &lt;stateDir&gt;/&lt;topic&gt;-&lt;partition&gt;.producer-state       the snapshot, see {@link ProducerStateSnapshot}
 * &lt;stateDir&gt;/&lt;topic&gt;-&lt;partition&gt;.producer-state.tmp   one being written; never read
 * </pre>
 *
 * These are plain files, so core-log, which looks only at directories in its data directory (the
 * same as the state directory in a broker), leaves them alone. A file is replaced by writing the
 * temporary file and renaming it over the old one; it is not forced to disk: a snapshot lost or
 * torn by a crash fails its length or CRC check and the partition is scanned instead.
 */
final class ProducerSnapshotFiles {
    static final String SUFFIX = ".producer-state";
    private static final String TMP_SUFFIX = SUFFIX + ".tmp";

    private final Path dir;

    ProducerSnapshotFiles(Path dir) {
        this.dir = dir;
    }

    /** The snapshot file of one partition. */
    Path fileOf(String topic, int partition) {
        return dir.resolve(topic + "-" + partition + SUFFIX);
    }

    /** The partition's snapshot bytes, or empty if it has none. */
    Optional<ByteBuffer> read(String topic, int partition) throws IOException {
        try {
            return Optional.of(ByteBuffer.wrap(Files.readAllBytes(fileOf(topic, partition))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces the partition's snapshot with {@code bytes} (consumed), atomically where the platform can. */
    void write(String topic, int partition, ByteBuffer bytes) throws IOException {
        Files.createDirectories(dir);
        Path target = fileOf(topic, partition);
        Path tmp = dir.resolve(topic + "-" + partition + TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes the partition's snapshot, if any. */
    void delete(String topic, int partition) throws IOException {
        Files.deleteIfExists(fileOf(topic, partition));
    }

    /**
     * Deletes every snapshot (and leftover temporary file) whose name is not in {@code keep}, e.g.
     * those of topics deleted while the pipeline was not running. Returns how many it deleted.
     */
    int deleteAllBut(Set<Path> keep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> (p.getFileName().toString().endsWith(SUFFIX) || p.getFileName().toString().endsWith(TMP_SUFFIX))
                        && Files.isRegularFile(p))) {
            for (Path entry : entries) {
                if (!keep.contains(entry)) {
                    Files.delete(entry);
                    deleted++;
                }
            }
        }
        return deleted;
    }
}
