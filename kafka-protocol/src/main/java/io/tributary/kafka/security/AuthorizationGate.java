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
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Authorization in front of the handlers, when {@code authorizer.class.name} is set, in two steps as Kafka's
 * {@code KafkaApis} does it:
 * <ol>
 *   <li>The API's whole-request {@link ApiRules rule} (the transactional id of a Produce, the group of an
 *       OffsetCommit, the cluster of an ACL change): a refusal is answered, without reaching the handler, with
 *       the API's own error response for Kafka's exception, built by kafka-clients'
 *       {@code AbstractRequest.getErrorResponse}.</li>
 *   <li>The API's {@link ResourceRule per-resource rule}, if it names many topics, groups, transactional ids
 *       or config resources: the refused ones are taken out of the request and answered with their own error
 *       beside what the handler serves of the rest; when none is left, the answer goes at once.</li>
 * </ol>
 * An acks=0 produce has no response to carry an error, so any refusal closes its connection (after the
 * allowed topics are appended), as Kafka does.
 *
 * <p>ShareFetch and ShareAcknowledge, past READ on their group, reach their handlers whole: their share sessions
 * hold partitions the request does not name, so the handlers ask {@link RequestContext#mayReadTopic} of each
 * partition they serve and answer the refused ones themselves.
 *
 * <p>Fetch, ListGroups and ListTransactions are filtered here: Fetch serves the topics the principal may
 * READ and answers the partitions of the others TOPIC_AUTHORIZATION_FAILED (a follower's fetch needs
 * CLUSTER_ACTION for all of them); ListTransactions lists only the transactional ids the principal may
 * DESCRIBE, ListGroups only the groups it may DESCRIBE unless it may DESCRIBE the cluster. Metadata is a
 * {@link MetadataRule}, DeleteTopics a {@link DeleteTopicsRule}.
 */
public final class AuthorizationGate implements RequestDispatcher {
    private final Authorizer authorizer;
    private final LogManager log;
    private final RequestDispatcher handlers;
    /** The static rules, and those that depend on the broker's settings. */
    private final Map<ApiKeys, ResourceRule> resourceRules;

    private static final Map<ApiKeys, ResourceRule> RESOURCE_RULES = new EnumMap<>(ApiKeys.class);
    /** Fetch carries a follower's replica id in {@code ReplicaState} from version 15 (KIP-903). */
    private static final short FIRST_REPLICA_STATE_VERSION = 15;

    static {
        TopicResourceRules.register(RESOURCE_RULES);
        GroupResourceRules.register(RESOURCE_RULES);
        AdminResourceRules.register(RESOURCE_RULES);
        ShareResourceRules.register(RESOURCE_RULES);
        RESOURCE_RULES.put(ApiKeys.DESCRIBE_CLUSTER, MetadataRule::describeCluster);
    }

    /**
     * @param settings the broker's settings: {@code auto.create.topics.enable} (whether a Metadata request may
     *                 create topics, which then needs CREATE) and {@code delete.topic.enable} (without it a
     *                 DeleteTopics request is refused whole, before any ACL is asked)
     */
    public AuthorizationGate(Authorizer authorizer, LogManager log, BrokerSettings settings,
                             RequestDispatcher handlers) {
        this.authorizer = authorizer;
        this.log = log;
        this.handlers = handlers;
        this.resourceRules = new EnumMap<>(RESOURCE_RULES);
        resourceRules.put(ApiKeys.METADATA, new MetadataRule(settings.autoCreateTopics()));
        resourceRules.put(ApiKeys.DELETE_TOPICS, new DeleteTopicsRule(settings.topicDeletionEnabled()));
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
            fetch(context, access, (FetchRequestData) request.body(), request.apiVersion());
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
        boolean silent = request.body() instanceof ProduceRequestData produce && produce.acks() == 0;
        try {
            ApiRules.of(request.apiKey()).check(access, request.body());
        } catch (ApiException refused) {
            if (silent) {
                context.closeConnection("acks=0 produce refused: " + refused.getMessage());
            } else {
                context.respond(errorResponse(request, refused));
            }
            return;
        }
        if (request.apiKey() == ApiKeys.SHARE_FETCH || request.apiKey() == ApiKeys.SHARE_ACKNOWLEDGE) {
            handlers.dispatch(new TopicReads(context, access));
            return;
        }
        ResourceRule rule = resourceRules.get(request.apiKey());
        Refusals refusals = rule == null ? null : rule.split(access, request.body());
        if (refusals == null) {
            handlers.dispatch(context);
        } else if (silent) {
            // Kafka closes the connection of an acks=0 produce with any error, after appending the rest.
            if (refusals.nothingLeft()) {
                context.closeConnection("acks=0 produce refused: Topic authorization failed");
            } else {
                handlers.dispatch(new Filtered(context, UnaryOperator.identity(), true));
            }
        } else if (refusals.nothingLeft()) {
            context.respond(refusals.alone());
        } else {
            handlers.dispatch(new Filtered(context, refusals::addTo));
        }
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

    /**
     * Takes the topics the principal may not READ out of the request and answers their partitions
     * TOPIC_AUTHORIZATION_FAILED beside what the handler serves of the rest; when none is left the
     * answer goes at once, as Kafka's does for a fetch of nothing (no long poll). Tributary keeps no
     * fetch sessions, so every request names all its partitions and none can slip past. A fetch as a
     * follower (a replica id) needs CLUSTER_ACTION instead, and without it every partition is refused.
     */
    private void fetch(RequestContext context, Access access, FetchRequestData request, short version) {
        boolean follower = (version >= FIRST_REPLICA_STATE_VERSION ? request.replicaState().replicaId()
                : request.replicaId()) >= 0;
        if (follower && access.mayOnCluster(Operation.CLUSTER_ACTION)) {
            handlers.dispatch(context);
            return;
        }
        List<FetchableTopicResponse> refused = new ArrayList<>();
        request.topics().removeIf(t -> {
            String name = access.topicName(t.topic(), t.topicId());
            if (!follower && (name == null || access.may(Operation.READ, ResourceType.TOPIC, name))) {
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

    /**
     * A share request, READ on each topic asked of the authorizer once: its handler answers the partitions of
     * refused topics TOPIC_AUTHORIZATION_FAILED, those it names and those its share session holds alike, as
     * Kafka does on every ShareFetch and ShareAcknowledge (decision 0036).
     */
    private static final class TopicReads extends ForwardingRequestContext {
        private final Access access;
        private final Map<String, Boolean> readable = new ConcurrentHashMap<>();

        TopicReads(RequestContext delegate, Access access) {
            super(delegate);
            this.access = access;
        }

        @Override
        public boolean mayReadTopic(String topic) {
            return readable.computeIfAbsent(topic, t -> access.may(Operation.READ, ResourceType.TOPIC, t));
        }
    }

    /** The same request, its response passed through {@code filter} first. */
    private static final class Filtered extends ForwardingRequestContext {
        private final UnaryOperator<ApiMessage> filter;
        private final boolean closeInsteadOfNothing;

        Filtered(RequestContext delegate, UnaryOperator<ApiMessage> filter) {
            this(delegate, filter, false);
        }

        Filtered(RequestContext delegate, UnaryOperator<ApiMessage> filter, boolean closeInsteadOfNothing) {
            super(delegate);
            this.filter = filter;
            this.closeInsteadOfNothing = closeInsteadOfNothing;
        }

        @Override
        public void respond(ApiMessage response) {
            delegate.respond(filter.apply(response));
        }

        @Override
        public void respondNothing() {
            if (closeInsteadOfNothing) {
                delegate.closeConnection("acks=0 produce refused in part: Topic authorization failed");
            } else {
                delegate.respondNothing();
            }
        }
    }
}
