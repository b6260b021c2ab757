package io.tributary.log.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@value #FILE_NAME} file in the data directory (Kafka's name): for each partition of a
 * compacted topic, the offset up to which the cleaner has cleaned it, so that a restart does not
 * count the whole partition dirty and clean it all again. Rewritten, atomically, after every clean;
 * read at open, where a value past a partition's log end (cut by recovery) is lowered to it. A
 * missing or malformed file only costs one full clean. Same text format as
 * {@link RecoveryPointCheckpoint}:
 *
 * <pre>
 *  cleaner-offset-checkpoint
 *  +------------------------------+
 *  | 0                            |  format version
 *  | 1                            |  number of entries
 *  | changelog 0 52000            |  topic, partition, first dirty offset
 *  +------------------------------+
 * </pre>
 */
final class CleanerOffsetCheckpoint {
    static final String FILE_NAME = "cleaner-offset-checkpoint";

    private CleanerOffsetCheckpoint() {
    }

    /** First dirty offsets keyed by partition directory name ({@code <topic>-<partition>}); empty if none. */
    static Map<String, Long> read(Path dir) {
        return RecoveryPointCheckpoint.readFile(dir.resolve(FILE_NAME));
    }

    /** Replaces the file with the first dirty offsets of {@code partitions}. */
    static void write(Path dir, List<DefaultPartitionLog> partitions) throws IOException {
        RecoveryPointCheckpoint.writeFile(dir.resolve(FILE_NAME), partitions, DefaultPartitionLog::firstDirtyOffset);
    }
}
