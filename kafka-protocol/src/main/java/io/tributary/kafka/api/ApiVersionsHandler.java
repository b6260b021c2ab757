package io.tributary.kafka.api;

import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * ApiVersions: the table of {@link SupportedApis}. A request newer than v5 was decoded as an empty
 * body and is answered at v0 with UNSUPPORTED_VERSION and the table, so the client retries at a
 * version both know. From v5 the client may name the cluster and node it means to reach; a
 * mismatch answers REBOOTSTRAP_REQUIRED (KIP-1242). Invalid client software names (v3+) answer
 * INVALID_REQUEST, as Kafka does.
 */
public final class ApiVersionsHandler implements ApiHandler {
    private final BrokerSettings settings;

    public ApiVersionsHandler(BrokerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void handle(RequestContext context) {
        KafkaRequest request = context.request();
        ApiVersionsRequestData data = (ApiVersionsRequestData) request.body();
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setApiKeys(SupportedApis.toApiVersions())
                .setErrorCode(errorFor(request, data).code());
        context.respond(response);
    }

    private Errors errorFor(KafkaRequest request, ApiVersionsRequestData data) {
        if (request.responseVersion() != request.apiVersion()) {
            return Errors.UNSUPPORTED_VERSION;
        }
        if (!new ApiVersionsRequest(data, request.apiVersion()).isValid()) {
            return Errors.INVALID_REQUEST;
        }
        boolean otherCluster = data.clusterId() != null && !data.clusterId().equals(settings.clusterId());
        boolean otherNode = data.nodeId() >= 0 && data.nodeId() != settings.nodeId();
        return otherCluster || otherNode ? Errors.REBOOTSTRAP_REQUIRED : Errors.NONE;
    }
}
