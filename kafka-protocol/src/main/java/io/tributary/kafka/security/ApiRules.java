package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What each API asks of the authorizer before its handler runs, after Kafka's {@code KafkaApis}
 * (its {@code authorize} calls per API). A rule throws Kafka's authorization exception on refusal;
 * the whole request is then answered with it. APIs whose answers are filtered instead (Fetch, Metadata,
 * ListGroups, ListTransactions) are in {@link AuthorizationGate}. An API missing here and not filtered there is refused
 * unless the principal may ALTER the cluster, so a new API is never open by omission.
 */
final class ApiRules {
    /** Kafka's config resource types (DescribeConfigs, AlterConfigs). */
    private static final byte CONFIG_TOPIC = 2;
    private static final byte CONFIG_GROUP = 32;

    interface Rule {
        void check(Access access, ApiMessage request);
    }

    private static final Map<ApiKeys, Rule> RULES = new EnumMap<>(ApiKeys.class);

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
            List<String> topics = new ArrayList<>();
            p.topicData().forEach(t -> topics.add(a.topicName(t.name(), t.topicId())));
            a.requireTopics(Operation.WRITE, topics);
        });
        RULES.put(ApiKeys.LIST_OFFSETS, (a, r) -> a.requireTopics(Operation.DESCRIBE,
                ((ListOffsetsRequestData) r).topics().stream().map(t -> t.name()).toList()));
        RULES.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (a, r) -> a.requireTopics(Operation.DESCRIBE,
                ((OffsetForLeaderEpochRequestData) r).topics().stream().map(t -> t.topic()).toList()));
        RULES.put(ApiKeys.DESCRIBE_PRODUCERS, (a, r) -> a.requireTopics(Operation.READ,
                ((DescribeProducersRequestData) r).topics().stream().map(t -> t.name()).toList()));
        RULES.put(ApiKeys.DELETE_RECORDS, (a, r) -> a.requireTopics(Operation.DELETE,
                ((DeleteRecordsRequestData) r).topics().stream().map(t -> t.name()).toList()));
        RULES.put(ApiKeys.CREATE_PARTITIONS, (a, r) -> a.requireTopics(Operation.ALTER,
                ((CreatePartitionsRequestData) r).topics().stream().map(t -> t.name()).toList()));
        RULES.put(ApiKeys.CREATE_TOPICS, (a, r) -> {
            if (!a.mayOnCluster(Operation.CREATE)) {
                a.requireTopics(Operation.CREATE,
                        ((CreateTopicsRequestData) r).topics().stream().map(t -> t.name()).toList());
            }
        });
        RULES.put(ApiKeys.DELETE_TOPICS, (a, r) -> {
            DeleteTopicsRequestData d = (DeleteTopicsRequestData) r;
            List<String> topics = new ArrayList<>(d.topicNames());
            d.topics().forEach(t -> topics.add(a.topicName(t.name(), t.topicId())));
            a.requireTopics(Operation.DELETE, topics);
        });
        RULES.put(ApiKeys.INIT_PRODUCER_ID, (a, r) -> {
            String transactionalId = ((InitProducerIdRequestData) r).transactionalId();
            if (transactionalId != null) {
                a.requireTransactionalId(Operation.WRITE, transactionalId);
            } else if (!a.mayOnCluster(Operation.IDEMPOTENT_WRITE) && !a.mayWriteSomeTopic()) {
                throw new ClusterAuthorizationException("Cluster authorization failed.");
            }
        });

        RULES.put(ApiKeys.FIND_COORDINATOR, (a, r) -> {
            FindCoordinatorRequestData f = (FindCoordinatorRequestData) r;
            List<String> keys = f.coordinatorKeys().isEmpty() ? List.of(f.key()) : f.coordinatorKeys();
            for (String key : keys) {
                if (f.keyType() == 1) {
                    a.requireTransactionalId(Operation.DESCRIBE, key);
                } else {
                    a.requireGroup(Operation.DESCRIBE, key);
                }
            }
        });
        RULES.put(ApiKeys.JOIN_GROUP, (a, r) -> a.requireGroup(Operation.READ, ((JoinGroupRequestData) r).groupId()));
        RULES.put(ApiKeys.SYNC_GROUP, (a, r) -> a.requireGroup(Operation.READ, ((SyncGroupRequestData) r).groupId()));
        RULES.put(ApiKeys.HEARTBEAT, (a, r) -> a.requireGroup(Operation.READ, ((HeartbeatRequestData) r).groupId()));
        RULES.put(ApiKeys.LEAVE_GROUP, (a, r) -> a.requireGroup(Operation.READ, ((LeaveGroupRequestData) r).groupId()));
        RULES.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (a, r) -> a.requireGroup(Operation.READ,
                ((ConsumerGroupHeartbeatRequestData) r).groupId()));
        RULES.put(ApiKeys.OFFSET_COMMIT, (a, r) -> {
            OffsetCommitRequestData c = (OffsetCommitRequestData) r;
            a.requireGroup(Operation.READ, c.groupId());
            List<String> topics = new ArrayList<>();
            c.topics().forEach(t -> topics.add(a.topicName(t.name(), t.topicId())));
            a.requireTopics(Operation.READ, topics);
        });
        RULES.put(ApiKeys.OFFSET_FETCH, (a, r) -> {
            OffsetFetchRequestData f = (OffsetFetchRequestData) r;
            if (f.groups().isEmpty()) {
                a.requireGroup(Operation.DESCRIBE, f.groupId());
            }
            f.groups().forEach(g -> a.requireGroup(Operation.DESCRIBE, g.groupId()));
        });
        RULES.put(ApiKeys.OFFSET_DELETE, (a, r) -> {
            OffsetDeleteRequestData d = (OffsetDeleteRequestData) r;
            a.requireGroup(Operation.DELETE, d.groupId());
            a.requireTopics(Operation.READ, d.topics().stream().map(t -> t.name()).toList());
        });
        RULES.put(ApiKeys.DESCRIBE_GROUPS, (a, r) ->
                ((DescribeGroupsRequestData) r).groups().forEach(g -> a.requireGroup(Operation.DESCRIBE, g)));
        RULES.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, (a, r) ->
                ((ConsumerGroupDescribeRequestData) r).groupIds().forEach(g -> a.requireGroup(Operation.DESCRIBE, g)));
        RULES.put(ApiKeys.DELETE_GROUPS, (a, r) ->
                ((DeleteGroupsRequestData) r).groupsNames().forEach(g -> a.requireGroup(Operation.DELETE, g)));

        RULES.put(ApiKeys.DESCRIBE_CONFIGS, (a, r) -> ((DescribeConfigsRequestData) r).resources()
                .forEach(c -> configResource(a, Operation.DESCRIBE_CONFIGS, c.resourceType(), c.resourceName())));
        RULES.put(ApiKeys.ALTER_CONFIGS, (a, r) -> ((AlterConfigsRequestData) r).resources()
                .forEach(c -> configResource(a, Operation.ALTER_CONFIGS, c.resourceType(), c.resourceName())));
        RULES.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, (a, r) -> ((IncrementalAlterConfigsRequestData) r).resources()
                .forEach(c -> configResource(a, Operation.ALTER_CONFIGS, c.resourceType(), c.resourceName())));
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
        RULES.put(ApiKeys.SHARE_FETCH, (a, r) -> {
            ShareFetchRequestData f = (ShareFetchRequestData) r;
            a.requireGroup(Operation.READ, f.groupId());
            a.requireTopics(Operation.READ, f.topics().stream().map(t -> a.topicName(null, t.topicId())).toList());
        });
        RULES.put(ApiKeys.SHARE_ACKNOWLEDGE, (a, r) -> {
            ShareAcknowledgeRequestData k = (ShareAcknowledgeRequestData) r;
            a.requireGroup(Operation.READ, k.groupId());
            a.requireTopics(Operation.READ, k.topics().stream().map(t -> a.topicName(null, t.topicId())).toList());
        });
        RULES.put(ApiKeys.SHARE_GROUP_DESCRIBE, (a, r) ->
                ((ShareGroupDescribeRequestData) r).groupIds().forEach(g -> a.requireGroup(Operation.DESCRIBE, g)));
        RULES.put(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, (a, r) ->
                ((DescribeShareGroupOffsetsRequestData) r).groups().forEach(g -> {
                    a.requireGroup(Operation.DESCRIBE, g.groupId());
                    if (g.topics() != null) {
                        a.requireTopics(Operation.DESCRIBE, g.topics().stream().map(t -> t.topicName()).toList());
                    }
                }));
        RULES.put(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, (a, r) -> {
            AlterShareGroupOffsetsRequestData o = (AlterShareGroupOffsetsRequestData) r;
            a.requireGroup(Operation.READ, o.groupId());
            a.requireTopics(Operation.READ, o.topics().stream().map(t -> t.topicName()).toList());
        });
        RULES.put(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, (a, r) -> {
            DeleteShareGroupOffsetsRequestData o = (DeleteShareGroupOffsetsRequestData) r;
            a.requireGroup(Operation.DELETE, o.groupId());
            a.requireTopics(Operation.READ, o.topics().stream().map(t -> t.topicName()).toList());
        });

        // Transactions, as Kafka's KafkaApis authorizes them (client versions: ids at the top level).
        RULES.put(ApiKeys.ADD_PARTITIONS_TO_TXN, (a, r) -> {
            AddPartitionsToTxnRequestData t = (AddPartitionsToTxnRequestData) r;
            a.requireTransactionalId(Operation.WRITE, t.v3AndBelowTransactionalId());
            a.requireTopics(Operation.WRITE, t.v3AndBelowTopics().stream().map(x -> x.name()).toList());
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
            a.requireTopics(Operation.READ, t.topics().stream().map(x -> x.name()).toList());
        });
        RULES.put(ApiKeys.END_TXN, (a, r) ->
                a.requireTransactionalId(Operation.WRITE, ((EndTxnRequestData) r).transactionalId()));
        RULES.put(ApiKeys.DESCRIBE_TRANSACTIONS, (a, r) -> ((DescribeTransactionsRequestData) r).transactionalIds()
                .forEach(id -> a.requireTransactionalId(Operation.DESCRIBE, id)));
        RULES.put(ApiKeys.WRITE_TXN_MARKERS, (a, r) -> a.requireCluster(Operation.CLUSTER_ACTION));
    }

    private ApiRules() {
    }

    private static void configResource(Access a, Operation operation, byte type, String name) {
        if (type == CONFIG_TOPIC) {
            a.requireTopics(operation, List.of(name));
        } else if (type == CONFIG_GROUP) {
            a.requireGroup(operation, name);
        } else {
            a.requireCluster(operation);
        }
    }

    /** The rule of {@code api}; for an API without one, ALTER on the cluster. */
    static Rule of(ApiKeys api) {
        return RULES.getOrDefault(api, (a, r) -> a.requireCluster(Operation.ALTER));
    }
}
