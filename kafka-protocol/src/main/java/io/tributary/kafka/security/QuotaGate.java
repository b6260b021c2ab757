package io.tributary.kafka.security;

import io.tributary.kafka.network.ForwardingRequestContext;
import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.network.RequestDispatcher;
import io.tributary.security.quota.ClientQuotas;
import io.tributary.security.quota.QuotaType;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.requests.AbstractResponse;


/**
 * Client quotas on the Kafka wire, in front of the authorization gate and the handlers: each
 * finished request records what it cost against the quotas of its principal and client id —
 * {@code producer_byte_rate} the record bytes of a Produce, {@code consumer_byte_rate} the record bytes
 * a Fetch answers with, {@code request_percentage} the time the event loop spent handling the
 * request (ApiVersions and the SASL exchange exempt, as in Kafka) — and a client over a quota is
 * throttled as KIP-219 has it: answered at once with {@code throttle_time_ms} (the longest of its
 * quotas'), then not read from for that long. It is not disconnected.
 *
 * <p>Unlike Kafka, a throttled Fetch still carries its records (Kafka answers it empty and takes the
 * bytes back): the client waits out the throttle time either way, so its rate stays at its quota.
 * While no quota is set at all, requests pass untouched.
 */
public final class QuotaGate implements RequestDispatcher {
    private final ClientQuotas quotas;
    private final RequestDispatcher handlers;

    public QuotaGate(ClientQuotas quotas, RequestDispatcher handlers) {
        this.quotas = quotas;
        this.handlers = handlers;
    }

    @Override
    public void dispatch(RequestContext context) {
        if (!quotas.active()) {
            handlers.dispatch(context);
            return;
        }
        Metered metered = new Metered(context, System.nanoTime());
        try {
            handlers.dispatch(metered);
        } finally {
            metered.dispatchedNanos = System.nanoTime();
        }
    }

    private static boolean exemptFromRequestQuota(ApiKeys api) {
        return api == ApiKeys.API_VERSIONS || api == ApiKeys.SASL_HANDSHAKE || api == ApiKeys.SASL_AUTHENTICATE;
    }

    private static long recordBytes(ProduceRequestData produce) {
        long bytes = 0;
        for (ProduceRequestData.TopicProduceData topic : produce.topicData()) {
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                bytes += size(partition.records());
            }
        }
        return bytes;
    }

    private static long recordBytes(FetchResponseData fetch) {
        long bytes = 0;
        for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                bytes += size(partition.records());
            }
        }
        return bytes;
    }

    private static int size(BaseRecords records) {
        return records == null ? 0 : records.sizeInBytes();
    }

    /** {@code response} carrying {@code throttleMs}, or a longer throttle time it already has. */
    static ApiMessage withThrottleTime(ApiMessage response, short version, int throttleMs) {
        if (response instanceof ProduceResponseData produce) {
            return produce.setThrottleTimeMs(Math.max(produce.throttleTimeMs(), throttleMs));
        }
        if (response instanceof FetchResponseData fetch) {
            return fetch.setThrottleTimeMs(Math.max(fetch.throttleTimeMs(), throttleMs));
        }
        if (response instanceof ShareFetchResponseData shareFetch) {
            return shareFetch.setThrottleTimeMs(Math.max(shareFetch.throttleTimeMs(), throttleMs));
        }
        // Other responses are small: let kafka-clients set the field where the version has one.
        ApiKeys api = ApiKeys.forId(response.apiKey());
        AbstractResponse parsed = AbstractResponse.parseResponse(api,
                MessageUtil.toByteBufferAccessor(response, version), version);
        if (parsed.throttleTimeMs() < throttleMs) {
            parsed.maybeSetThrottleTimeMs(throttleMs);
        }
        return parsed.data();
    }

    /** The request as the handlers see it; its finish records the cost and applies the throttle. */
    private final class Metered extends ForwardingRequestContext {
        private final long startNanos;
        /** Record bytes of a Produce, counted before its handler runs (they are views of the request frame). */
        private final long produceBytes;
        volatile long dispatchedNanos;

        Metered(RequestContext delegate, long startNanos) {
            super(delegate);
            this.startNanos = startNanos;
            this.produceBytes = delegate.request().body() instanceof ProduceRequestData produce ? recordBytes(produce) : 0;
        }

        /** Records the request and returns how long its client must wait; 0 within its quotas. */
        private long record(ApiMessage response) {
            KafkaRequest request = delegate.request();
            String user = delegate.principal().name();
            String clientId = request.header().clientId() == null ? "" : request.header().clientId();
            long nowMs = System.currentTimeMillis();
            long throttle = 0;
            if (request.apiKey() == ApiKeys.PRODUCE) {
                throttle = quotas.recordAndGetThrottleMs(QuotaType.PRODUCER_BYTE_RATE, user, clientId,
                        produceBytes, nowMs);
            } else if (response instanceof FetchResponseData fetch) {
                throttle = quotas.recordAndGetThrottleMs(QuotaType.CONSUMER_BYTE_RATE, user, clientId,
                        recordBytes(fetch), nowMs);
            }
            if (!exemptFromRequestQuota(request.apiKey())) {
                long dispatched = dispatchedNanos;
                long handled = (dispatched != 0 ? dispatched : System.nanoTime()) - startNanos;
                throttle = Math.max(throttle, quotas.recordAndGetThrottleMs(QuotaType.REQUEST_PERCENTAGE, user,
                        clientId, ClientQuotas.requestPercentSeconds(handled), nowMs));
            }
            return Math.min(throttle, Integer.MAX_VALUE);
        }

        @Override
        public void respond(ApiMessage response) {
            long throttle = record(response);
            if (throttle > 0) {
                response = withThrottleTime(response, delegate.request().responseVersion(), (int) throttle);
                delegate.throttle(throttle);
            }
            delegate.respond(response);
        }

        @Override
        public void respondNothing() {
            delegate.throttle(record(null));
            delegate.respondNothing();
        }
    }
}
