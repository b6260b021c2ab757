package io.tributary.log.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@value #FILE_NAME} file in the data directory: each partition's log start offset, as
 * raised by {@link io.tributary.log.PartitionLog#deleteRecordsBefore}. Retention raises the start
 * offset to a segment boundary, which the segments themselves tell at the next open; a start offset
 * inside a segment is known only from this file. It is rewritten, atomically, before a
 * delete-records call returns, when a topic is deleted (so a re-created topic never inherits the
 * start offset of the deleted one; a partition missing from the file starts at its first segment),
 * at open and at a clean close. Same text format as
 * {@link RecoveryPointCheckpoint}:
 *
 * <pre>
 *  log-start-offset-checkpoint
 *  +------------------------------+
 *  | 0                            |  format version
 *  | 2                            |  number of entries
 *  | orders 0 500                 |  topic, partition, log start offset
 *  | orders 1 0                   |
 *  +------------------------------+
 * </pre>
 */
final class LogStartOffsetCheckpoint {
    static final String FILE_NAME = "log-start-offset-checkpoint";

    private LogStartOffsetCheckpoint() {
    }

    /** Start offsets keyed by partition directory name ({@code <topic>-<partition>}); empty if none. */
    static Map<String, Long> read(Path dir) {
        return RecoveryPointCheckpoint.readFile(dir.resolve(FILE_NAME));
    }

    /** Replaces the file with the log start offsets of {@code partitions}. */
    static void write(Path dir, List<DefaultPartitionLog> partitions) throws IOException {
        RecoveryPointCheckpoint.writeFile(dir.resolve(FILE_NAME), partitions, DefaultPartitionLog::logStartOffset);
    }
}
