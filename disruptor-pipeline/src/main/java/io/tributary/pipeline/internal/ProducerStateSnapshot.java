package io.tributary.pipeline.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One partition's idempotent-producer state as it was when the log ended at {@link #logEndOffset()},
 * and its file format (version 1). Written at a clean close so that the next start reads it and
 * scans only the batches appended after it, instead of every batch of the partition
 * ({@link ProducerStateLoader} decides whether it can be trusted).
 *
 * <p>Big-endian throughout. The file is a fixed header and a body; the CRC covers the whole body.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                   Magic 0x54505353 ("TPSS")                   |  0
 * +---------------------------------------------------------------+
 * |                        Version (1)                            |  4
 * +---------------------------------------------------------------+
 * |             CRC32C of the body (bytes 16 to the end)          |  8
 * +---------------------------------------------------------------+
 * |                 Body length in bytes (file size - 16)         | 12
 * +=============================== body ==========================+
 * |                                                               | 16
 * +                 Log end offset the state covers               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               | 24
 * +    Base offset of the batch ending at log end - 1, or -1      +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |             Stored CRC of that batch (0 when none)            | 32
 * +---------------------------------------------------------------+
 * |                        Producer count                         | 36
 * +---------------------------------------------------------------+
 * |                Producer entries (count times) ...             | 40
 * +---------------------------------------------------------------+
 *
 * Producer entry, 20 bytes plus 32 per cached batch:
 * +---------------------------------------------------------------+
 * |                                                               |  0
 * +                          Producer id                          +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               |  8
 * +           Last activity, epoch ms (for expiry)                +
 * |                                                               |
 * +-------------------------------+-------------------------------+
 * |             Epoch             |      Batch count (1 to 5)     | 16
 * +-------------------------------+-------------------------------+
 * |                 Cached batches, oldest first ...              | 20
 * +---------------------------------------------------------------+
 *
 * Cached batch, 32 bytes:
 * +---------------------------------------------------------------+
 * |                        First sequence                         |  0
 * +---------------------------------------------------------------+
 * |                         Last sequence                         |  4
 * +---------------------------------------------------------------+
 * |                                                               |  8
 * +                          Base offset                          +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               | 16
 * +                          Last offset                          +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               | 24
 * +                 Max timestamp of the batch                    +
 * |                                                               |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * The batch ending at the log end offset minus one identifies the log the state was taken from:
 * if the stored batch there has another base offset or CRC, the log is not the one the snapshot
 * describes (see {@link ProducerStateLoader}).
 */
final class ProducerStateSnapshot {
    static final int MAGIC = 0x54505353;
    static final int VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int CRC_OFFSET = 8;
    static final int BODY_LENGTH_OFFSET = 12;
    static final int HEADER_SIZE = 16;
    static final int LOG_END_OFFSET_OFFSET = 16;
    static final int LAST_BATCH_BASE_OFFSET = 24;
    static final int LAST_BATCH_CRC_OFFSET = 32;
    static final int PRODUCER_COUNT_OFFSET = 36;
    static final int ENTRIES_OFFSET = 40;
    static final int ENTRY_HEADER_SIZE = 20;
    static final int BATCH_SIZE = 32;
    /** No batch ends at the log end minus one (the log was empty below it). */
    static final long NO_BATCH = -1L;

    private final long logEndOffset;
    private final long lastBatchBaseOffset;
    private final int lastBatchCrc;
    private final ProducerStateTable producers;

    ProducerStateSnapshot(long logEndOffset, long lastBatchBaseOffset, int lastBatchCrc, ProducerStateTable producers) {
        this.logEndOffset = logEndOffset;
        this.lastBatchBaseOffset = lastBatchBaseOffset;
        this.lastBatchCrc = lastBatchCrc;
        this.producers = producers;
    }

    /** The log end offset the state covers: batches from here on are not in it. */
    long logEndOffset() {
        return logEndOffset;
    }

    /** Base offset of the batch ending at {@code logEndOffset - 1}, or {@link #NO_BATCH}. */
    long lastBatchBaseOffset() {
        return lastBatchBaseOffset;
    }

    /** The stored CRC of that batch. */
    int lastBatchCrc() {
        return lastBatchCrc;
    }

    ProducerStateTable producers() {
        return producers;
    }

    /** The file's bytes, ready to write (position 0, limit the size). */
    ByteBuffer encode() {
        Map<Long, ProducerEntry> entries = producers.entries();
        int size = ENTRIES_OFFSET;
        for (ProducerEntry entry : entries.values()) {
            size += ENTRY_HEADER_SIZE + BATCH_SIZE * entry.batchCount();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(BODY_LENGTH_OFFSET, size - HEADER_SIZE);
        out.position(LOG_END_OFFSET_OFFSET);
        out.putLong(logEndOffset).putLong(lastBatchBaseOffset).putInt(lastBatchCrc).putInt(entries.size());
        for (Map.Entry<Long, ProducerEntry> e : entries.entrySet()) {
            ProducerEntry entry = e.getValue();
            out.putLong(e.getKey()).putLong(entry.lastActivityMs()).putShort(entry.epoch())
                    .putShort((short) entry.batchCount());
            for (int age = entry.batchCount() - 1; age >= 0; age--) {
                int slot = entry.slotOfAge(age);
                out.putInt(entry.firstSeq(slot)).putInt(entry.lastSeq(slot)).putLong(entry.baseOffset(slot))
                        .putLong(entry.lastOffset(slot)).putLong(entry.timestamp(slot));
            }
        }
        out.putInt(CRC_OFFSET, bodyCrc(out.flip()));
        return out;
    }

    /**
     * Reads a snapshot file's bytes. A producer's last activity later than {@code nowMs} (the
     * clock went back) is taken as {@code nowMs}.
     *
     * @throws UnreadableSnapshotException if the bytes are not a whole, intact version-1 snapshot
     */
    static ProducerStateSnapshot decode(ByteBuffer in, long nowMs) throws UnreadableSnapshotException {
        if (in.remaining() < ENTRIES_OFFSET || in.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new UnreadableSnapshotException("not a producer-state snapshot");
        }
        int version = in.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new UnreadableSnapshotException("unknown version " + version);
        }
        if (in.getInt(BODY_LENGTH_OFFSET) != in.limit() - HEADER_SIZE) {
            throw new UnreadableSnapshotException("truncated: body of " + (in.limit() - HEADER_SIZE)
                    + " bytes, header says " + in.getInt(BODY_LENGTH_OFFSET));
        }
        if (in.getInt(CRC_OFFSET) != bodyCrc(in)) {
            throw new UnreadableSnapshotException("CRC mismatch");
        }
        ProducerStateTable table = new ProducerStateTable();
        in.position(PRODUCER_COUNT_OFFSET);
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            if (in.remaining() < ENTRY_HEADER_SIZE) {
                throw new UnreadableSnapshotException("producer " + i + " of " + count + " is cut off");
            }
            long producerId = in.getLong();
            long lastActivity = Math.min(in.getLong(), nowMs);
            short epoch = in.getShort();
            int batches = in.getShort();
            if (batches < 1 || batches > ProducerEntry.CACHED_BATCHES || in.remaining() < batches * BATCH_SIZE) {
                throw new UnreadableSnapshotException("producer " + producerId + " has a bad batch count " + batches);
            }
            ProducerEntry entry = table.restore(producerId, lastActivity);
            for (int b = 0; b < batches; b++) {
                entry.addBatch(epoch, in.getInt(), in.getInt(), in.getLong(), in.getLong(), in.getLong());
            }
        }
        if (in.hasRemaining()) {
            throw new UnreadableSnapshotException(in.remaining() + " bytes after the last producer");
        }
        return new ProducerStateSnapshot(in.getLong(LOG_END_OFFSET_OFFSET), in.getLong(LAST_BATCH_BASE_OFFSET),
                in.getInt(LAST_BATCH_CRC_OFFSET), table);
    }

    private static int bodyCrc(ByteBuffer file) {
        CRC32C crc = new CRC32C();
        crc.update(file.duplicate().position(HEADER_SIZE));
        return (int) crc.getValue();
    }

    /** The bytes are not a snapshot this version can read; the message says why. */
    static final class UnreadableSnapshotException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableSnapshotException(String message) {
            super(message);
        }
    }
}
