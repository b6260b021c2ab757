package io.tributary.compat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The headers of the record batches the broker stored for a partition, read straight from its first
 * segment file ({@code <log.dirs>/<topic>-<partition>/00000000000000000000.log}), which holds Kafka v2
 * batches as the producer sent them. It shows what a client really put on the wire, e.g. whether
 * librdkafka compressed at all, which no consumer API reveals.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     baseOffset (int64)                        |
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                     batchLength (int32)                       |
 * +---------------------------------------------------------------+
 * |                partitionLeaderEpoch (int32)                   |
 * +---------------+-----------------------------------------------+
 * | magic (int8)  |                crc (uint32) ...               |
 * +---------------+---------------+-------------------------------+
 * |  ... crc      |  attributes (int16): bits 0-2 codec |  lastOffsetDelta (int32) ...
 * +---------------+-------------------------------+---------------+
 * |  ... lastOffsetDelta: records in the batch - 1 |  baseTimestamp ...
 * +-----------------------------------------------+
 * </pre>
 */
public final class StoredBatch {
    private static final int LENGTH_OFFSET = 8;
    /** baseOffset and batchLength: the bytes before what batchLength counts. */
    private static final int LOG_OVERHEAD = 12;
    private static final int MAGIC_OFFSET = 16;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int LAST_OFFSET_DELTA_OFFSET = 23;
    private static final int HEADER_PREFIX = 27;
    private static final String[] CODECS = {"none", "gzip", "snappy", "lz4", "zstd"};

    private StoredBatch() {
    }

    /** One stored batch: its compression codec name and how many records it holds. */
    public record Batch(String codec, int records) {
    }

    /**
     * The compression codec name ({@code none, gzip, snappy, lz4, zstd}) of every batch stored in the first
     * segment of {@code topic}-{@code partition}, in log order.
     *
     * @throws IllegalStateException if a batch is cut short or is not magic 2
     */
    public static List<String> codecs(ChildBroker broker, String topic, int partition) throws IOException {
        return batches(broker, topic, partition).stream().map(Batch::codec).toList();
    }

    /**
     * Every batch stored in the first segment of {@code topic}-{@code partition}, in log order.
     *
     * @throws IllegalStateException if a batch is cut short or is not magic 2
     */
    public static List<Batch> batches(ChildBroker broker, String topic, int partition) throws IOException {
        Path segment = broker.dataDir().resolve(topic + "-" + partition).resolve("00000000000000000000.log");
        List<Batch> batches = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            long position = 0;
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER_PREFIX);
            while (position < size) {
                header.clear();
                while (header.hasRemaining() && channel.read(header, position + header.position()) > 0) {
                    continue;
                }
                if (header.hasRemaining()) {
                    throw new IllegalStateException(segment + ": batch header cut short at " + position);
                }
                if (header.get(MAGIC_OFFSET) != 2) {
                    throw new IllegalStateException(segment + ": batch at " + position + " has magic " + header.get(MAGIC_OFFSET));
                }
                batches.add(new Batch(codecName(header.getShort(ATTRIBUTES_OFFSET) & 0x7),
                        header.getInt(LAST_OFFSET_DELTA_OFFSET) + 1));
                position += LOG_OVERHEAD + header.getInt(LENGTH_OFFSET);
            }
        }
        return batches;
    }

    /** The name of codec id {@code codec} (attributes bits 0-2). */
    static String codecName(int codec) {
        return codec < CODECS.length ? CODECS[codec] : "unknown(" + codec + ")";
    }
}
