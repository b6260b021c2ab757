package io.tributary.kafka.half;

import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestRejectedException;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.nio.ByteBuffer;

/**
 * Decodes a Tributary extension request: Kafka's request header v2 (api key, version, correlation id,
 * client id, tagged fields), then the API's own body. A header that cannot be read rejects the request
 * (the connection closes, as for a Kafka request); a body at another version than 0, or one that breaks
 * its layout, becomes a {@link MalformedRequest} answered with UNSUPPORTED_VERSION or INVALID_REQUEST.
 */
public final class HalfRequests {
    static final short HEADER_VERSION = 2;

    private HalfRequests() {
    }

    /** Whether {@code key} is one of the extension APIs. */
    public static boolean isExtension(short key) {
        return HalfApi.forKey(key) != null;
    }

    /** Decodes {@code payload} (position at the api key) of an extension API ({@link #isExtension}). */
    public static KafkaRequest decode(ByteBuffer payload) throws RequestRejectedException {
        HalfApi api = HalfApi.forKey(payload.getShort(payload.position()));
        RequestHeaderData header = new RequestHeaderData();
        try {
            header.read(new ByteBufferAccessor(payload), HEADER_VERSION);
        } catch (RuntimeException e) {
            throw new RequestRejectedException("bad header of " + api.title + " (api key " + api.key + "): " + e, e);
        }
        return new KafkaRequest(new RequestHeader(header, HEADER_VERSION), body(api, header.requestApiVersion(), payload),
                HalfApi.VERSION);
    }

    private static ExtensionBody body(HalfApi api, short version, ByteBuffer payload) {
        if (version != HalfApi.VERSION) {
            return new MalformedRequest(api, Errors.UNSUPPORTED_VERSION.code(), api.title + " v" + version
                    + " is not supported; this broker serves version " + HalfApi.VERSION);
        }
        WireReader in = new WireReader(payload.slice());
        try {
            ExtensionBody body = switch (api) {
                case SEND_HALF -> SendHalfRequest.parse(in, System.currentTimeMillis());
                case END_HALF -> EndHalfRequest.parse(in);
                case POLL_CHECK -> PollCheckRequest.parse(in);
            };
            in.end();
            return body;
        } catch (MalformedBodyException e) {
            return new MalformedRequest(api, Errors.INVALID_REQUEST.code(), "malformed " + api.title + " body: "
                    + e.getMessage());
        }
    }

    /** The error answer of {@code api}: its response with {@code error} and no other data. */
    public static ExtensionBody errorResponse(HalfApi api, short error, String message) {
        return switch (api) {
            case SEND_HALF -> new SendHalfResponse(error, message, -1);
            case END_HALF -> new EndHalfResponse(error, message);
            case POLL_CHECK -> new PollCheckResponse(error, message, java.util.List.of());
        };
    }
}
