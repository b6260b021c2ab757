package io.tributary.transactions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a {@code __transaction_state} record (its key is the transactional id in UTF-8; a
 * null value deletes the id):
 *
 * <pre>
 *  int16  version (1; version 0, written before KIP-890 part 2, ends after the groups)
 *  int64  producerId          int16 epoch         int32 timeoutMs
 *  int8   state (TransactionState ordinal)
 *  int64  startTimeMs         int64 lastUpdateMs
 *  int32  partition count, each:  string topic, int32 partition
 *  int32  group count, each:      string group, int32 offset count, each:
 *                                 string topic, int32 partition, int64 offset, int32 leaderEpoch, string metadata
 *  int8   transaction version (1 or 2, the client's; {@link TransactionVersion#level})    (version 1 only)
 *  int64  previousProducerId  (-1: none)       the id before the last rotation                (version 1 only)
 *  int64  nextProducerId      (-1: none)       the id a V2 transaction being ended continues with (version 1 only)
 *  string = int16 length (-1 = null) + UTF-8 bytes
 * </pre>
 *
 * These are the fields Kafka's {@code TransactionLogValue} v1 added for KIP-890 part 2 (client transaction
 * version, previous and next producer id). A version 0 value reads as transaction version 1 with no
 * previous or next id.
 */
final class TransactionRecordCodec {
    private static final short VERSION = 1;

    private TransactionRecordCodec() {
    }

    static ByteBuffer key(String transactionalId) {
        return ByteBuffer.wrap(transactionalId.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeKey(ByteBuffer key) {
        return StandardCharsets.UTF_8.decode(key.duplicate()).toString();
    }

    static ByteBuffer encode(TransactionMetadata txn) {
        Writer out = new Writer();
        out.buffer.putShort(VERSION);
        out.ensure(8 + 2 + 4 + 1 + 8 + 8 + 4);
        out.buffer.putLong(txn.producerId).putShort(txn.epoch).putInt(txn.timeoutMs).put((byte) txn.state.ordinal())
                .putLong(txn.startTimeMs).putLong(txn.lastUpdateMs).putInt(txn.partitions.size());
        for (TxnPartition p : txn.partitions) {
            out.string(p.topic());
            out.ensure(4);
            out.buffer.putInt(p.partition());
        }
        out.ensure(4);
        out.buffer.putInt(txn.pendingOffsets.size());
        txn.pendingOffsets.forEach((group, offsets) -> {
            out.string(group);
            out.ensure(4);
            out.buffer.putInt(offsets.size());
            for (PendingOffset o : offsets) {
                out.string(o.topic());
                out.ensure(16);
                out.buffer.putInt(o.partition()).putLong(o.offset()).putInt(o.leaderEpoch());
                out.string(o.metadata());
            }
        });
        out.ensure(1 + 8 + 8);
        out.buffer.put((byte) txn.version.level()).putLong(txn.previousProducerId).putLong(txn.nextProducerId);
        return out.buffer.flip();
    }

    static TransactionMetadata decode(String transactionalId, ByteBuffer value) {
        ByteBuffer in = value.duplicate();
        short version = in.getShort();
        if (version != 0 && version != VERSION) {
            throw new IllegalArgumentException("unknown __transaction_state value version " + version);
        }
        long producerId = in.getLong();
        short epoch = in.getShort();
        int timeoutMs = in.getInt();
        TransactionState state = TransactionState.values()[in.get()];
        long startTimeMs = in.getLong();
        long lastUpdateMs = in.getLong();
        TransactionMetadata txn = new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, lastUpdateMs);
        txn.state = state;
        txn.startTimeMs = startTimeMs;
        int partitions = in.getInt();
        for (int i = 0; i < partitions; i++) {
            txn.partitions.add(new TxnPartition(string(in), in.getInt()));
        }
        int groups = in.getInt();
        for (int g = 0; g < groups; g++) {
            String group = string(in);
            int count = in.getInt();
            List<PendingOffset> offsets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = string(in);
                offsets.add(new PendingOffset(topic, in.getInt(), in.getLong(), in.getInt(), string(in)));
            }
            txn.addOffsets(group, offsets);
        }
        if (version >= 1) {
            txn.version = TransactionVersion.ofLevel(in.get());
            txn.previousProducerId = in.getLong();
            txn.nextProducerId = in.getLong();
        }
        return txn;
    }

    private static String string(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A growing buffer. */
    private static final class Writer {
        ByteBuffer buffer = ByteBuffer.allocate(128);

        void ensure(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        void string(String value) {
            if (value == null) {
                ensure(2);
                buffer.putShort((short) -1);
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            ensure(2 + bytes.length);
            buffer.putShort((short) bytes.length).put(bytes);
        }
    }
}
