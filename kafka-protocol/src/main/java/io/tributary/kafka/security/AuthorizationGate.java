package io.tributary.kafka.security;

import io.tributary.kafka.half.ExtensionBody;
import io.tributary.kafka.half.HalfRequests;
import io.tributary.kafka.network.ForwardingRequestContext;
import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.network.RequestDispatcher;
import io.tributary.log.LogManager;
import io.tributary.security.acl.Authorizer;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Authorization in front of the handlers, when {@code authorizer.class.name} is set: each request
 * passes its API's {@link ApiRules rule} or is answered, without reaching its handler, with the
 * API's own error response for Kafka's exception (TOPIC_AUTHORIZATION_FAILED,
 * GROUP_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED, ...), built by kafka-clients'
 * {@code AbstractRequest.getErrorResponse}. A refused acks=0 produce closes the connection, as Kafka
 * does, since it has no response to carry the error.
 *
 * <p>Four APIs are filtered instead of refused, as in Kafka: Fetch serves the topics the principal
 * may READ and answers the partitions of the others TOPIC_AUTHORIZATION_FAILED (a whole-request
 * error would not reach the consumer's application: kafka-clients only retry on a top-level fetch
 * error); ListTransactions lists only the
 * transactional ids the principal may DESCRIBE; Metadata shows only topics the
 * principal may DESCRIBE (a topic named in the request and not describable is answered
 * TOPIC_AUTHORIZATION_FAILED, and is never auto-created; auto-creation needs CREATE on the cluster
 * or the topic), and ListGroups lists only groups the principal may DESCRIBE unless it may DESCRIBE
 * the cluster.
 */
public final class AuthorizationGate implements RequestDispatcher {
    private final Authorizer authorizer;
    private final LogManager log;
    private final RequestDispatcher handlers;

    public AuthorizationGate(Authorizer authorizer, LogManager log, RequestDispatcher handlers) {
        this.authorizer = authorizer;
        this.log = log;
        this.handlers = handlers;
    }

    @Override
    public void dispatch(RequestContext context) {
        Access access = new Access(authorizer, log, context);
        KafkaRequest request = context.request();
        if (request.isExtension()) {
            extension(context, access, request);
            return;
        }
        if (request.apiKey() == ApiKeys.FETCH) {
            fetch(context, access, (FetchRequestData) request.body());
            return;
        }
        if (request.apiKey() == ApiKeys.METADATA) {
            metadata(context, access, (MetadataRequestData) request.body());
            return;
        }
        if (request.apiKey() == ApiKeys.LIST_GROUPS) {
            handlers.dispatch(new Filtered(context, response -> listGroups(access, (ListGroupsResponseData) response)));
            return;
        }
        if (request.apiKey() == ApiKeys.LIST_TRANSACTIONS) {
            handlers.dispatch(new Filtered(context, response -> {
                ((ListTransactionsResponseData) response).transactionStates().removeIf(t ->
                        !access.may(Operation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, t.transactionalId()));
                return response;
            }));
            return;
        }
        try {
            ApiRules.of(request.apiKey()).check(access, request.body());
        } catch (ApiException refused) {
            if (request.body() instanceof ProduceRequestData produce && produce.acks() == 0) {
                context.closeConnection("acks=0 produce refused: " + refused.getMessage());
            } else {
                context.respond(errorResponse(request, refused));
            }
            return;
        }
        handlers.dispatch(context);
    }

    private void extension(RequestContext context, Access access, KafkaRequest request) {
        try {
            ExtensionRules.check(access, request.body());
        } catch (ApiException refused) {
            ExtensionBody body = (ExtensionBody) request.body();
            context.respond(HalfRequests.errorResponse(body.api(), Errors.forException(refused).code(),
                    refused.getMessage()));
            return;
        }
        handlers.dispatch(context);
    }

    private void metadata(RequestContext context, Access access, MetadataRequestData request) {
        List<String> refused = new ArrayList<>();
        if (request.topics() != null) {
            request.topics().removeIf(t -> {
                String name = access.topicName(t.name(), t.topicId());
                if (name != null && !access.may(Operation.DESCRIBE, ResourceType.TOPIC, name)) {
                    refused.add(name);
                    return true;
                }
                return false;
            });
            if (request.allowAutoTopicCreation() && !access.mayOnCluster(Operation.CREATE)
                    && request.topics().stream().anyMatch(t -> t.name() != null
                    && !access.may(Operation.CREATE, ResourceType.TOPIC, t.name()))) {
                request.setAllowAutoTopicCreation(false);
            }
        }
        handlers.dispatch(new Filtered(context, message -> {
            MetadataResponseData response = (MetadataResponseData) message;
            response.topics().removeIf(t -> t.name() != null
                    && !access.may(Operation.DESCRIBE, ResourceType.TOPIC, t.name()));
            for (String name : refused) {
                response.topics().add(new MetadataResponseTopic().setName(name)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            return response;
        }));
    }

    /**
     * Takes the topics the principal may not READ out of the request and answers their partitions
     * TOPIC_AUTHORIZATION_FAILED beside what the handler serves of the rest; when none is left the
     * answer goes at once, as Kafka's does for a fetch of nothing (no long poll). Tributary keeps no
     * fetch sessions, so every request names all its partitions and none can slip past.
     */
    private void fetch(RequestContext context, Access access, FetchRequestData request) {
        List<FetchableTopicResponse> refused = new ArrayList<>();
        request.topics().removeIf(t -> {
            String name = access.topicName(t.topic(), t.topicId());
            if (name == null || access.may(Operation.READ, ResourceType.TOPIC, name)) {
                return false;
            }
            FetchableTopicResponse topic = new FetchableTopicResponse().setTopic(t.topic()).setTopicId(t.topicId());
            t.partitions().forEach(p -> topic.partitions().add(new FetchResponseData.PartitionData()
                    .setPartitionIndex(p.partition()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1)
                    .setRecords(MemoryRecords.EMPTY)));
            refused.add(topic);
            return true;
        });
        if (refused.isEmpty()) {
            handlers.dispatch(context);
        } else if (request.topics().isEmpty()) {
            FetchResponseData response = new FetchResponseData().setSessionId(0);
            response.responses().addAll(refused);
            context.respond(response);
        } else {
            handlers.dispatch(new Filtered(context, message -> {
                ((FetchResponseData) message).responses().addAll(refused);
                return message;
            }));
        }
    }

    private static ApiMessage listGroups(Access access, ListGroupsResponseData response) {
        if (!access.mayOnCluster(Operation.DESCRIBE)) {
            response.groups().removeIf(g -> !access.may(Operation.DESCRIBE, ResourceType.GROUP, g.groupId()));
        }
        return response;
    }

    /** The API's error response for {@code error}, as Kafka builds it from the request. */
    static ApiMessage errorResponse(KafkaRequest request, ApiException error) {
        AbstractRequest parsed = AbstractRequest.parseRequest(request.apiKey(), request.apiVersion(),
                MessageUtil.toByteBufferAccessor(request.body(), request.apiVersion())).request;
        return parsed.getErrorResponse(0, error).data();
    }

    /** The same request, its response passed through {@code filter} first. */
    private static final class Filtered extends ForwardingRequestContext {
        private final UnaryOperator<ApiMessage> filter;

        Filtered(RequestContext delegate, UnaryOperator<ApiMessage> filter) {
            super(delegate);
            this.filter = filter;
        }

        @Override
        public void respond(ApiMessage response) {
            delegate.respond(filter.apply(response));
        }
    }
}
