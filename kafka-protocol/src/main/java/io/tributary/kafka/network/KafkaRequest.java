package io.tributary.kafka.network;

import io.tributary.kafka.half.HalfApi;
import io.tributary.kafka.half.HalfRequests;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A decoded request: its header and its body as the generated kafka-clients message class.
 *
 * @param header          the request header (Kafka's v2 for an extension, whose {@code apiKey()} kafka-clients
 *                        cannot name: use {@link #apiKey()} and {@link #apiName()} here instead)
 * @param body            the generated {@code *RequestData}; an empty one for an ApiVersions request
 *                        at a version this adapter does not know (its body is not parsed)
 * @param responseVersion version the response is encoded at: the request's, except for such an
 *                        ApiVersions request, which is answered at version 0
 */
public record KafkaRequest(RequestHeader header, ApiMessage body, short responseVersion) {

    /** Kafka's API; null for a Tributary extension ({@link #isExtension}), which kafka-clients does not know. */
    public ApiKeys apiKey() {
        return isExtension() ? null : header.apiKey();
    }

    /** Whether this is a Tributary extension request (docs/protocol.md), not a Kafka one. */
    public boolean isExtension() {
        return HalfRequests.isExtension(header.data().requestApiKey());
    }

    /** The API's name, for log lines. */
    public String apiName() {
        return isExtension() ? HalfApi.forKey(header.data().requestApiKey()).title : header.apiKey().name;
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    /** The response header version; ApiVersions responses always use v0 so any client can read them. */
    public short responseHeaderVersion() {
        if (isExtension()) {
            return 1;
        }
        return header.apiKey().responseHeaderVersion(responseVersion);
    }
}
