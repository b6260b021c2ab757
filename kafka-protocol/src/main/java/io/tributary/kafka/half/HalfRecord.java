package io.tributary.kafka.half;

import io.tributary.transactions.HalfMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * The record fields shared by SendHalf requests and PollCheck answers.
 *
 * <pre>
 *  timestamp INT64 | key COMPACT_NULLABLE_BYTES | value COMPACT_NULLABLE_BYTES
 *  | headers COMPACT_ARRAY of { key COMPACT_STRING | value COMPACT_NULLABLE_BYTES | TAG_BUFFER }
 * </pre>
 */
final class HalfRecord {
    private HalfRecord() {
    }

    static HalfMessage read(WireReader in, long defaultTimestamp) {
        long timestamp = in.readLong();
        byte[] key = in.readNullableBytes();
        byte[] value = in.readNullableBytes();
        int count = in.readArrayLength("headers");
        List<HalfMessage.Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String headerKey = in.readString("header key");
            byte[] headerValue = in.readNullableBytes();
            in.skipTaggedFields();
            headers.add(new HalfMessage.Header(headerKey, headerValue));
        }
        return new HalfMessage(timestamp < 0 ? defaultTimestamp : timestamp, key, value, headers);
    }

    static void write(WireWriter out, HalfMessage message) {
        out.writeLong(message.timestamp()).writeNullableBytes(message.key()).writeNullableBytes(message.value());
        out.writeArrayLength(message.headers().size());
        for (HalfMessage.Header header : message.headers()) {
            out.writeNullableString(header.key()).writeNullableBytes(header.value()).writeNoTaggedFields();
        }
    }
}
