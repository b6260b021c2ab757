package io.tributary.log.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The {@value #FILE_NAME} file in the data directory: for each partition, an offset below which
 * every byte had been forced to the device. Recovery after an unclean stop trusts the segments that
 * end at or below it and validates only the rest. Written periodically by the log manager's
 * scheduler, atomically; a missing or malformed file just means "validate everything".
 *
 * <pre>
 *  recovery-point-offset-checkpoint      (text, one record per line, as Kafka's)
 *  +------------------------------+
 *  | 0                            |  format version
 *  | 2                            |  number of entries
 *  | orders 0 1200                |  topic, partition, recovery point
 *  | orders 1 977                 |
 *  +------------------------------+
 * </pre>
 */
final class RecoveryPointCheckpoint {
    static final String FILE_NAME = "recovery-point-offset-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryPointCheckpoint.class);
    private static final String VERSION = "0";

    private RecoveryPointCheckpoint() {
    }

    /** Recovery points keyed by partition directory name ({@code <topic>-<partition>}); empty if none. */
    static Map<String, Long> read(Path dir) {
        return readFile(dir.resolve(FILE_NAME));
    }

    /**
     * Reads any per-partition offset checkpoint file in this format, keyed by partition directory
     * name; a missing or malformed file gives an empty map (logged).
     */
    static Map<String, Long> readFile(Path file) {
        Map<String, Long> points = new HashMap<>();
        if (!Files.exists(file)) {
            return points;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).equals(VERSION)
                    || Integer.parseInt(lines.get(1)) != lines.size() - 2) {
                throw new IOException("bad header or entry count");
            }
            for (String line : lines.subList(2, lines.size())) {
                String[] fields = line.split(" ");
                if (fields.length != 3) {
                    throw new IOException("bad line '" + line + "'");
                }
                points.put(TopicNames.partitionDir(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
            }
            return points;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring {} ({})", file, e.toString());
            return new HashMap<>();
        }
    }

    /** Replaces the file with the recovery points of {@code partitions}. */
    static void write(Path dir, List<DefaultPartitionLog> partitions) throws IOException {
        writeFile(dir.resolve(FILE_NAME), partitions, DefaultPartitionLog::recoveryPoint);
    }

    /** Replaces {@code file} with one {@code offset.applyAsLong(partition)} per partition, in this format. */
    static void writeFile(Path file, List<DefaultPartitionLog> partitions, ToLongFunction<DefaultPartitionLog> offset)
            throws IOException {
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(partitions.size()).append('\n');
        for (DefaultPartitionLog partition : partitions) {
            text.append(partition.topic()).append(' ').append(partition.partition()).append(' ')
                    .append(offset.applyAsLong(partition)).append('\n');
        }
        FileIo.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
