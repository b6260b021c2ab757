package io.tributary.transactions.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the half-message extension APIs at version 0, as docs/protocol.md lays them out (Kafka's
 * flexible-version types: compact strings and bytes with length + 1 as an unsigned varint, compact arrays,
 * empty tagged-field sections).
 */
final class Wire {
    static final short SEND_HALF = 32000;
    static final short END_HALF = 32001;
    static final short POLL_CHECK = 32002;

    static final byte OUTCOME_UNKNOWN = 0;
    static final byte OUTCOME_COMMIT = 1;
    static final byte OUTCOME_ROLLBACK = 2;

    private Wire() {
    }

    static byte[] sendHalf(String group, String transactionId, Message message) {
        Writer out = new Writer();
        out.string(group).string(transactionId).string(message.getTopic()).int32(message.getPartition())
                .int64(System.currentTimeMillis())
                .bytes(message.getKeys() == null ? null : message.getKeys().getBytes(StandardCharsets.UTF_8))
                .bytes(message.getBody());
        out.arrayLength(message.getProperties().size());
        for (Map.Entry<String, String> property : message.getProperties().entrySet()) {
            out.string(property.getKey()).string(property.getValue()).noTags();
        }
        return out.noTags().toByteArray();
    }

    static byte[] endHalf(String group, String transactionId, byte outcome, int check) {
        return new Writer().string(group).string(transactionId).int8(outcome).int32(check).noTags().toByteArray();
    }

    static byte[] pollCheck(String group, int maxWaitMs) {
        return new Writer().string(group).int32(maxWaitMs).noTags().toByteArray();
    }

    /** The error code and message every response starts with. */
    record Status(short errorCode, String errorMessage) {
        boolean ok() {
            return errorCode == 0;
        }
    }

    static Status status(ByteBuffer response) {
        return new Status(response.getShort(), string(response));
    }

    /** PollCheck's checks, after {@link #status}. */
    static List<MessageView> checks(ByteBuffer in) {
        int count = unsignedVarint(in) - 1;
        List<MessageView> checks = new ArrayList<>(Math.max(count, 0));
        for (int i = 0; i < count; i++) {
            String transactionId = string(in);
            String topic = string(in);
            int partition = in.getInt();
            int check = in.getInt();
            long timestamp = in.getLong();
            byte[] key = bytes(in);
            byte[] value = bytes(in);
            int headers = unsignedVarint(in) - 1;
            Map<String, String> properties = new LinkedHashMap<>();
            for (int h = 0; h < headers; h++) {
                String name = string(in);
                byte[] headerValue = bytes(in);
                skipTags(in);
                properties.put(name, headerValue == null ? null : new String(headerValue, StandardCharsets.UTF_8));
            }
            skipTags(in);
            checks.add(new MessageView(transactionId, topic, partition, check, timestamp,
                    key == null ? null : new String(key, StandardCharsets.UTF_8), value, properties));
        }
        return checks;
    }

    static void skipTags(ByteBuffer in) {
        int count = unsignedVarint(in);
        for (int i = 0; i < count; i++) {
            unsignedVarint(in);
            int size = unsignedVarint(in);
            in.position(in.position() + size);
        }
    }

    static String string(ByteBuffer in) {
        byte[] bytes = bytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer in) {
        int lengthPlusOne = unsignedVarint(in);
        if (lengthPlusOne == 0) {
            return null;
        }
        byte[] bytes = new byte[lengthPlusOne - 1];
        in.get(bytes);
        return bytes;
    }

    static int unsignedVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift <= 28; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

        Writer int8(int v) {
            out.write(v);
            return this;
        }

        Writer int16(short v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Writer int32(int v) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write(v >>> shift);
            }
            return this;
        }

        Writer int64(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (v >>> shift));
            }
            return this;
        }

        Writer unsignedVarint(int v) {
            while ((v & ~0x7f) != 0) {
                out.write((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write(v);
            return this;
        }

        Writer string(String s) {
            return bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        Writer bytes(byte[] bytes) {
            if (bytes == null) {
                return unsignedVarint(0);
            }
            unsignedVarint(bytes.length + 1);
            out.write(bytes, 0, bytes.length);
            return this;
        }

        /** A legacy NULLABLE_STRING (INT16 length), as the request header's client id. */
        Writer shortString(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            int16((short) bytes.length);
            out.write(bytes, 0, bytes.length);
            return this;
        }

        Writer arrayLength(int n) {
            return unsignedVarint(n + 1);
        }

        Writer noTags() {
            return unsignedVarint(0);
        }

        Writer raw(byte[] bytes) {
            out.write(bytes, 0, bytes.length);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
