package io.tributary.transactions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Record layout of {@code __half_messages} (all integers big-endian; a string is an int16 length and
 * UTF-8 bytes; nullable bytes are an int32 length, -1 for null, and the bytes).
 *
 * <pre>
 * key:   version int8 (0), producer group string, transaction id string
 * value: version int8 (0), state int8 (0 PREPARED, 1 COMMITTING, 2 COMMITTED, 3 ROLLED_BACK),
 *        created ms int64, checks int32, last check ms int64, scan from int64,
 *        topic string, partition int32, has message int8,
 *        [timestamp int64, key bytes, value bytes, header count int32, [header key string, header value bytes]...]
 * </pre>
 */
final class HalfRecordCodec {
    private static final byte VERSION = 0;

    private HalfRecordCodec() {
    }

    static ByteBuffer key(String producerGroup, String transactionId) {
        byte[] group = producerGroup.getBytes(StandardCharsets.UTF_8);
        byte[] id = transactionId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 2 + group.length + 2 + id.length);
        buffer.put(VERSION);
        putString(buffer, group);
        putString(buffer, id);
        return buffer.flip();
    }

    /** The producer group and transaction id of a key. */
    static String[] decodeKey(ByteBuffer key) {
        ByteBuffer in = key.duplicate();
        checkVersion(in.get());
        return new String[] {getString(in), getString(in)};
    }

    static ByteBuffer encode(HalfTransaction txn) {
        byte[] topic = txn.topic.getBytes(StandardCharsets.UTF_8);
        HalfMessage message = txn.message;
        int size = 1 + 1 + 8 + 4 + 8 + 8 + 2 + topic.length + 4 + 1;
        if (message != null) {
            size += 8 + bytesSize(message.key()) + bytesSize(message.value()) + 4;
            for (HalfMessage.Header header : message.headers()) {
                size += 2 + header.key().getBytes(StandardCharsets.UTF_8).length + bytesSize(header.value());
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).put((byte) txn.state.ordinal()).putLong(txn.createdMs).putInt(txn.checks)
                .putLong(txn.lastCheckMs).putLong(txn.scanFrom);
        putString(out, topic);
        out.putInt(txn.partition);
        out.put((byte) (message == null ? 0 : 1));
        if (message != null) {
            out.putLong(message.timestamp());
            putBytes(out, message.key());
            putBytes(out, message.value());
            out.putInt(message.headers().size());
            for (HalfMessage.Header header : message.headers()) {
                putString(out, header.key().getBytes(StandardCharsets.UTF_8));
                putBytes(out, header.value());
            }
        }
        return out.flip();
    }

    static HalfTransaction decode(String producerGroup, String transactionId, ByteBuffer value) {
        ByteBuffer in = value.duplicate();
        checkVersion(in.get());
        int stateIndex = in.get();
        HalfTransaction.State[] states = HalfTransaction.State.values();
        if (stateIndex < 0 || stateIndex >= states.length) {
            throw new IllegalArgumentException("unknown half transaction state " + stateIndex);
        }
        long created = in.getLong();
        int checks = in.getInt();
        long lastCheck = in.getLong();
        long scanFrom = in.getLong();
        String topic = getString(in);
        int partition = in.getInt();
        HalfMessage message = null;
        if (in.get() != 0) {
            long timestamp = in.getLong();
            byte[] key = getBytes(in);
            byte[] body = getBytes(in);
            int count = in.getInt();
            List<HalfMessage.Header> headers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                headers.add(new HalfMessage.Header(getString(in), getBytes(in)));
            }
            message = new HalfMessage(timestamp, key, body, headers);
        }
        HalfTransaction txn = new HalfTransaction(producerGroup, transactionId, topic, partition, created,
                states[stateIndex], message);
        txn.checks = checks;
        txn.lastCheckMs = lastCheck;
        txn.scanFrom = scanFrom;
        return txn;
    }

    private static void checkVersion(byte version) {
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown __half_messages record version " + version);
        }
    }

    private static int bytesSize(byte[] bytes) {
        return 4 + (bytes == null ? 0 : bytes.length);
    }

    private static void putString(ByteBuffer out, byte[] utf8) {
        if (utf8.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string longer than " + Short.MAX_VALUE + " bytes");
        }
        out.putShort((short) utf8.length).put(utf8);
    }

    private static String getString(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            out.putInt(-1);
        } else {
            out.putInt(bytes.length).put(bytes);
        }
    }

    private static byte[] getBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
