package io.tributary.kafka.api;

import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.spi.BrokerSettings;
import io.tributary.transactions.TransactionVersion;
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
 *
 * <p>From v3 the response lists the features (KIP-584): {@code transaction.version} supported 0-2 and
 * finalized at the broker's {@code transaction.version} setting. Kafka clients 4.x run KIP-890 part 2
 * (implicit partitions, an epoch bump per EndTxn) only when it is finalized at 2, and re-read it only when
 * the finalized-features epoch grows: the epoch is the broker's start time, so it grows across restarts,
 * as Kafka's metadata offset does. No other feature is listed: none of Kafka's other features (metadata.version,
 * kraft.version, group.version, share.version, ...) has a meaning here that a client acts on.
 */
public final class ApiVersionsHandler implements ApiHandler {
    static final String TRANSACTION_VERSION = "transaction.version";

    private final BrokerSettings settings;
    private final TransactionVersion finalizedTransactionVersion;
    private final long featuresEpoch;

    /** No finalized transaction.version 2 (tests of the table itself). */
    public ApiVersionsHandler(BrokerSettings settings) {
        this(settings, TransactionVersion.V1, 0L);
    }

    /** {@code featuresEpoch}: fixed for the broker's run, larger at each start. */
    public ApiVersionsHandler(BrokerSettings settings, TransactionVersion finalizedTransactionVersion,
                              long featuresEpoch) {
        this.settings = settings;
        this.finalizedTransactionVersion = finalizedTransactionVersion;
        this.featuresEpoch = featuresEpoch;
    }

    @Override
    public void handle(RequestContext context) {
        KafkaRequest request = context.request();
        ApiVersionsRequestData data = (ApiVersionsRequestData) request.body();
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setApiKeys(SupportedApis.toApiVersions())
                .setErrorCode(errorFor(request, data).code());
        ApiVersionsResponseData.SupportedFeatureKeyCollection supported =
                new ApiVersionsResponseData.SupportedFeatureKeyCollection();
        supported.add(new ApiVersionsResponseData.SupportedFeatureKey().setName(TRANSACTION_VERSION)
                .setMinVersion((short) 0).setMaxVersion(TransactionVersion.V2.level()));
        ApiVersionsResponseData.FinalizedFeatureKeyCollection finalized =
                new ApiVersionsResponseData.FinalizedFeatureKeyCollection();
        finalized.add(new ApiVersionsResponseData.FinalizedFeatureKey().setName(TRANSACTION_VERSION)
                .setMinVersionLevel(finalizedTransactionVersion.level())
                .setMaxVersionLevel(finalizedTransactionVersion.level()));
        response.setSupportedFeatures(supported).setFinalizedFeatures(finalized).setFinalizedFeaturesEpoch(featuresEpoch);
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
