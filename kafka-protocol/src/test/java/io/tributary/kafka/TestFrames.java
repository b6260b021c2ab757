package io.tributary.kafka;

import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.nio.ByteBuffer;

/** Builds request frames the way a Kafka client does, with kafka-clients' own classes. */
public final class TestFrames {
    private TestFrames() {
    }

    /** A size-prefixed frame: header at the API's header version, then the body at {@code version}. */
    public static ByteBuffer request(ApiKeys key, short version, ApiMessage body, int correlationId) {
        ByteBuffer payload = payload(key, version, body, correlationId);
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.remaining());
        frame.putInt(payload.remaining()).put(payload).flip();
        return frame;
    }

    /** The frame without its size prefix. */
    public static ByteBuffer payload(ApiKeys key, short version, ApiMessage body, int correlationId) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setClientId("test-client").setCorrelationId(correlationId);
        int size = header.size(cache, headerVersion) + (body == null ? 0 : body.size(cache, version));
        ByteBuffer buffer = ByteBuffer.allocate(size);
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        header.write(out, cache, headerVersion);
        if (body != null) {
            body.write(out, cache, version);
        }
        buffer.flip();
        return buffer;
    }

    /** A frame with a raw header (api key, version, correlation id, client id) and arbitrary body bytes. */
    public static ByteBuffer rawRequest(short apiKey, short version, int correlationId, byte[] body) {
        byte[] clientId = "raw".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int size = 2 + 2 + 4 + 2 + clientId.length + body.length;
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size).putShort(apiKey).putShort(version).putInt(correlationId)
                .putShort((short) clientId.length).put(clientId).put(body).flip();
        return frame;
    }
}
