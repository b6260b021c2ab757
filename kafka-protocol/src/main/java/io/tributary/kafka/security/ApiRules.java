package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What each API asks of the authorizer before its handler runs, refusing the whole request, after Kafka's
 * {@code KafkaApis} (its {@code authorize} calls per API). A rule throws Kafka's authorization exception on
 * refusal; the whole request is then answered with it. What Kafka authorizes resource by resource within a
 * request is in the {@link ResourceRule}s, and Fetch, ListGroups and ListTransactions are filtered in
 * {@link AuthorizationGate}; such APIs have an empty rule here, or one for the single resource Kafka checks
 * first (a transactional id, a group). An API missing here is refused unless the principal may ALTER the
 * cluster, so a new API is never open by omission.
 */
final class ApiRules {
    interface Rule {
        void check(Access access, ApiMessage request);
    }

    private static final Map<ApiKeys, Rule> RULES = new EnumMap<>(ApiKeys.class);
    private static final byte GROUP_KEY = 0;
    private static final byte TRANSACTION_KEY = 1;
    private static final byte SHARE_KEY = 2;
    private static final short FIRST_BATCHED_VERSION = 4;
    private static final short FIRST_SHARE_KEY_VERSION = 6;

    static {
        // Needed before authentication, or answered ILLEGAL_SASL_STATE anyway.
        RULES.put(ApiKeys.API_VERSIONS, (a, r) -> { });
        RULES.put(ApiKeys.SASL_HANDSHAKE, (a, r) -> { });
        RULES.put(ApiKeys.SASL_AUTHENTICATE, (a, r) -> { });

        RULES.put(ApiKeys.PRODUCE, (a, r) -> {
            ProduceRequestData p = (ProduceRequestData) r;
            if (p.transactionalId() != null) {
                a.requireTransactionalId(Operation.WRITE, p.transactionalId());
            }
        });
        // Authorized per resource only (ResourceRules): nothing to refuse whole.
        for (ApiKeys perResource : List.of(ApiKeys.METADATA, ApiKeys.LIST_OFFSETS, ApiKeys.OFFSET_FOR_LEADER_EPOCH,
                ApiKeys.DESCRIBE_PRODUCERS, ApiKeys.DELETE_RECORDS, ApiKeys.CREATE_PARTITIONS, ApiKeys.CREATE_TOPICS,
                ApiKeys.DELETE_TOPICS, ApiKeys.DESCRIBE_GROUPS, ApiKeys.CONSUMER_GROUP_DESCRIBE,
                ApiKeys.SHARE_GROUP_DESCRIBE, ApiKeys.DELETE_GROUPS, ApiKeys.DESCRIBE_CONFIGS, ApiKeys.ALTER_CONFIGS,
                ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiKeys.DESCRIBE_TRANSACTIONS)) {
            RULES.put(perResource, (a, r) -> { });
        }
        RULES.put(ApiKeys.INIT_PRODUCER_ID, (a, r) -> {
            String transactionalId = ((InitProducerIdRequestData) r).transactionalId();
            if (transactionalId != null) {
                a.requireTransactionalId(Operation.WRITE, transactionalId);
            } else if (!a.mayOnCluster(Operation.IDEMPOTENT_WRITE) && !a.mayWriteSomeTopic()) {
                throw new ClusterAuthorizationException("Cluster authorization failed.");
            }
        });

        RULES.put(ApiKeys.FIND_COORDINATOR, ApiRules::findCoordinator);
        RULES.put(ApiKeys.JOIN_GROUP, (a, r) -> a.requireGroup(Operation.READ, ((JoinGroupRequestData) r).groupId()));
        RULES.put(ApiKeys.SYNC_GROUP, (a, r) -> a.requireGroup(Operation.READ, ((SyncGroupRequestData) r).groupId()));
        RULES.put(ApiKeys.HEARTBEAT, (a, r) -> a.requireGroup(Operation.READ, ((HeartbeatRequestData) r).groupId()));
        RULES.put(ApiKeys.LEAVE_GROUP, (a, r) -> a.requireGroup(Operation.READ, ((LeaveGroupRequestData) r).groupId()));
        RULES.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (a, r) -> {
            // Kafka 4.0 and later (KAFKA-18813): subscribed topics a member may not DESCRIBE refuse its heartbeat.
            ConsumerGroupHeartbeatRequestData h = (ConsumerGroupHeartbeatRequestData) r;
            a.requireGroup(Operation.READ, h.groupId());
            if (h.subscribedTopicNames() != null) {
                a.requireTopics(Operation.DESCRIBE, h.subscribedTopicNames());
            }
        });
        RULES.put(ApiKeys.OFFSET_COMMIT, (a, r) -> {
            a.requireGroup(Operation.READ, ((OffsetCommitRequestData) r).groupId());
        });
        RULES.put(ApiKeys.OFFSET_FETCH, (a, r) -> {
            OffsetFetchRequestData f = (OffsetFetchRequestData) r;
            if (f.groups().isEmpty()) {
                a.requireGroup(Operation.DESCRIBE, f.groupId());
            }
        });
        RULES.put(ApiKeys.OFFSET_DELETE, (a, r) -> {
            a.requireGroup(Operation.DELETE, ((OffsetDeleteRequestData) r).groupId());
        });
        // Open to every authenticated client, as in Kafka (it tells no more than Metadata does).
        RULES.put(ApiKeys.DESCRIBE_CLUSTER, (a, r) -> { });
        // Open to all, as in Kafka: DescribeTopicPartitionsHandler authorizes DESCRIBE on each topic itself.
        RULES.put(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (a, r) -> { });
        RULES.put(ApiKeys.DESCRIBE_LOG_DIRS, (a, r) -> a.requireCluster(Operation.DESCRIBE));
        RULES.put(ApiKeys.LIST_CONFIG_RESOURCES, (a, r) -> a.requireCluster(Operation.DESCRIBE_CONFIGS));
        RULES.put(ApiKeys.ELECT_LEADERS, (a, r) -> a.requireCluster(Operation.ALTER));
        RULES.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, (a, r) -> a.requireCluster(Operation.DESCRIBE));
        RULES.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, (a, r) -> a.requireCluster(Operation.ALTER));
        // Open to all, as in Kafka: AuthorizationGate filters the answer by DESCRIBE on each transactional id.
        RULES.put(ApiKeys.LIST_TRANSACTIONS, (a, r) -> { });
        RULES.put(ApiKeys.DESCRIBE_ACLS, (a, r) -> a.requireCluster(Operation.DESCRIBE));
        RULES.put(ApiKeys.CREATE_ACLS, (a, r) -> a.requireCluster(Operation.ALTER));
        RULES.put(ApiKeys.DELETE_ACLS, (a, r) -> a.requireCluster(Operation.ALTER));
        RULES.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, (a, r) -> a.requireCluster(Operation.DESCRIBE));
        RULES.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, (a, r) -> a.requireCluster(Operation.DESCRIBE_CONFIGS));
        RULES.put(ApiKeys.ALTER_CLIENT_QUOTAS, (a, r) -> a.requireCluster(Operation.ALTER_CONFIGS));
        RULES.put(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, (a, r) -> a.requireCluster(Operation.ALTER));
    }

    static {
        // Share groups (KIP-932), as Kafka's KafkaApis authorizes them.
        RULES.put(ApiKeys.SHARE_GROUP_HEARTBEAT, (a, r) -> {
            ShareGroupHeartbeatRequestData h = (ShareGroupHeartbeatRequestData) r;
            a.requireGroup(Operation.READ, h.groupId());
            if (h.subscribedTopicNames() != null) {
                a.requireTopics(Operation.DESCRIBE, h.subscribedTopicNames());
            }
        });
        // READ on each topic, of the request and of the share session, is asked by their handlers through the
        // AuthorizationGate's RequestContext#mayReadTopic: partition by partition, as in Kafka.
        RULES.put(ApiKeys.SHARE_FETCH, (a, r) -> a.requireGroup(Operation.READ, ((ShareFetchRequestData) r).groupId()));
        RULES.put(ApiKeys.SHARE_ACKNOWLEDGE, (a, r) ->
                a.requireGroup(Operation.READ, ((ShareAcknowledgeRequestData) r).groupId()));
        // Their topics (and DescribeShareGroupOffsets' groups) one by one: ShareResourceRules.
        RULES.put(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, (a, r) -> { });
        RULES.put(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, (a, r) ->
                a.requireGroup(Operation.READ, ((AlterShareGroupOffsetsRequestData) r).groupId()));
        RULES.put(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, (a, r) ->
                a.requireGroup(Operation.DELETE, ((DeleteShareGroupOffsetsRequestData) r).groupId()));

        // Transactions, as Kafka's KafkaApis authorizes them (client versions: ids at the top level).
        RULES.put(ApiKeys.ADD_PARTITIONS_TO_TXN, (a, r) -> {
            AddPartitionsToTxnRequestData t = (AddPartitionsToTxnRequestData) r;
            if (t.transactions().isEmpty() && !t.v3AndBelowTransactionalId().isEmpty()) {
                a.requireTransactionalId(Operation.WRITE, t.v3AndBelowTransactionalId());
            } else {
                // v4+, the batched form brokers send: CLUSTER_ACTION, and no check per id or topic
                a.requireCluster(Operation.CLUSTER_ACTION);
            }
        });
        RULES.put(ApiKeys.ADD_OFFSETS_TO_TXN, (a, r) -> {
            AddOffsetsToTxnRequestData t = (AddOffsetsToTxnRequestData) r;
            a.requireTransactionalId(Operation.WRITE, t.transactionalId());
            a.requireGroup(Operation.READ, t.groupId());
        });
        RULES.put(ApiKeys.TXN_OFFSET_COMMIT, (a, r) -> {
            TxnOffsetCommitRequestData t = (TxnOffsetCommitRequestData) r;
            a.requireTransactionalId(Operation.WRITE, t.transactionalId());
            a.requireGroup(Operation.READ, t.groupId());
        });
        RULES.put(ApiKeys.END_TXN, (a, r) ->
                a.requireTransactionalId(Operation.WRITE, ((EndTxnRequestData) r).transactionalId()));
        RULES.put(ApiKeys.WRITE_TXN_MARKERS, (a, r) -> a.requireCluster(Operation.CLUSTER_ACTION));
    }

    private ApiRules() {
    }

    /**
     * One group or transactional id (versions 0-3) is refused whole; batched ones key by key
     * ({@link GroupResourceRules}). Share-partition keys (type 2, which brokers and admin tools send for share
     * state) need CLUSTER_ACTION from version 6, whole, as in Kafka, whose check throws out of the key loop so
     * every key is answered CLUSTER_AUTHORIZATION_FAILED; before version 6 Kafka answers them INVALID_REQUEST
     * without asking (the handler does too), and an empty batch asks nothing. An unknown key type is
     * INVALID_REQUEST (from the handler) without a check, as in Kafka.
     */
    private static void findCoordinator(Access a, ApiMessage r) {
        FindCoordinatorRequestData f = (FindCoordinatorRequestData) r;
        if (f.keyType() == SHARE_KEY) {
            if (a.apiVersion() >= FIRST_SHARE_KEY_VERSION && !f.coordinatorKeys().isEmpty()) {
                a.requireCluster(Operation.CLUSTER_ACTION);
            }
        } else if (a.apiVersion() < FIRST_BATCHED_VERSION) {
            if (f.keyType() == TRANSACTION_KEY) {
                a.requireTransactionalId(Operation.DESCRIBE, f.key());
            } else if (f.keyType() == GROUP_KEY) {
                a.requireGroup(Operation.DESCRIBE, f.key());
            }
        }
    }

    /** The rule of {@code api}; for an API without one, ALTER on the cluster. */
    static Rule of(ApiKeys api) {
        return RULES.getOrDefault(api, (a, r) -> a.requireCluster(Operation.ALTER));
    }
}
