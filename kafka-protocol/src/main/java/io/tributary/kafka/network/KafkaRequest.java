package io.tributary.kafka.network;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A decoded request: its header and its body as the generated kafka-clients message class.
 *
 * @param header          the request header
 * @param body            the generated {@code *RequestData}; an empty one for an ApiVersions request
 *                        at a version this adapter does not know (its body is not parsed)
 * @param responseVersion version the response is encoded at: the request's, except for such an
 *                        ApiVersions request, which is answered at version 0
 */
public record KafkaRequest(RequestHeader header, ApiMessage body, short responseVersion) {

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    /** The response header version; ApiVersions responses always use v0 so any client can read them. */
    public short responseHeaderVersion() {
        return header.apiKey().responseHeaderVersion(responseVersion);
    }
}
