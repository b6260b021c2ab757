package io.tributary.kafka.network;

import io.tributary.kafka.api.SupportedApis;
import io.tributary.kafka.half.HalfRequests;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestHeader;

import java.nio.ByteBuffer;

/**
 * Decodes one frame payload into a {@link KafkaRequest} with kafka-clients' generated classes.
 *
 * <pre>
 *  +-----------------+-----------------+-----------------+--------------------+------------------+
 *  | api key (int16) | version (int16) | correlation id  | client id (v1+),   | body, per api    |
 *  |                 |                 | (int32)         | tagged fields (v2+)| key and version  |
 *  +-----------------+-----------------+-----------------+--------------------+------------------+
 *    header version from ApiKeys.requestHeaderVersion(version)
 * </pre>
 *
 * What Kafka 4 does, and so this decoder: an unknown API key, or a known one at a version the
 * broker does not serve, fails the request and the connection is closed after one log line;
 * ApiVersions is the exception and is accepted at any version (a too-new one is answered with
 * version 0 and UNSUPPORTED_VERSION). The first two fields are peeked only to choose the header
 * version and to name the request in the rejection message. Tributary's extension keys
 * ({@link HalfRequests}) are decoded by their own layouts; a bad extension body is answered, not rejected.
 */
public final class RequestDecoder {
    private RequestDecoder() {
    }

    /**
     * Whether a decoded body of {@code key} may hold views of the buffer it was decoded from, so
     * that buffer must outlive the body. In kafka-clients 4.4 only these generated request classes
     * read with {@code readRecords}/{@code readByteBuffer} (records and zero-copy {@code bytes}
     * fields); every other request body copies what it keeps into strings, arrays and {@code byte[]}
     * (group metadata and assignments included), so its buffer may be freed right after decoding.
     */
    public static boolean keepsFrameViews(ApiKeys key) {
        return key == ApiKeys.PRODUCE || key == ApiKeys.ENVELOPE || key == ApiKeys.PUSH_TELEMETRY;
    }

    /**
     * Decodes {@code payload} (position at the api key). Record sets in the body are views of
     * {@code payload} (see {@link #keepsFrameViews}): the caller keeps it valid and unchanged
     * while the body is in use, or hands it on (e.g. to the ingest pipeline).
     *
     * @throws RequestRejectedException with a message naming the api key, version and cause
     */
    public static KafkaRequest decode(ByteBuffer payload) throws RequestRejectedException {
        if (payload.remaining() < 4) {
            throw new RequestRejectedException("request of " + payload.remaining() + " bytes is too short for a header",
                    null);
        }
        short keyId = payload.getShort(payload.position());
        short version = payload.getShort(payload.position() + 2);
        if (HalfRequests.isExtension(keyId)) {
            return HalfRequests.decode(payload);
        }
        if (!ApiKeys.hasId(keyId)) {
            throw new RequestRejectedException("unknown api key " + keyId + " (version " + version + ")", null);
        }
        ApiKeys key = ApiKeys.forId(keyId);
        if (!SupportedApis.accepts(key, version)) {
            throw new RequestRejectedException("unsupported " + key.name + " version " + version
                    + " (api key " + keyId + ")", null);
        }
        String what = key.name + " v" + version + " (api key " + keyId + ")";
        RequestHeader header;
        try {
            header = RequestHeader.parse(payload);
        } catch (RuntimeException e) {
            throw new RequestRejectedException("bad header of " + what + ": " + e, e);
        }
        if (key == ApiKeys.API_VERSIONS && version > SupportedApis.maxVersion(key)) {
            return new KafkaRequest(header, new ApiVersionsRequestData(), (short) 0);
        }
        try {
            ApiMessage body = key.messageType.newRequest();
            body.read(new ByteBufferAccessor(payload), version);
            return new KafkaRequest(header, body, version);
        } catch (RuntimeException e) {
            throw new RequestRejectedException("bad body of " + what + ": " + e, e);
        }
    }
}
