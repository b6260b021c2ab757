package io.tributary.kafka.api;

import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.EnumMap;
import java.util.Map;

/**
 * The one table of Kafka APIs and versions this adapter implements, and so advertises in
 * ApiVersions. Nothing else is advertised; a request for an API or version outside it is rejected
 * by the decoder (see {@link #accepts}).
 *
 * <table>
 *   <caption>Advertised APIs</caption>
 *   <tr><th>API (key)</th><th>advertised</th><th>accepted</th><th>note</th></tr>
 *   <tr><td>Produce (0)</td><td>0-13</td><td>3-13</td><td>v0-2 advertised but refused, as Kafka 4 does
 *       (KAFKA-18659: librdkafka turns compression off unless v0 is listed); v13 addresses topics by id</td></tr>
 *   <tr><td>Fetch (1)</td><td>4-18</td><td>4-18</td><td>no fetch sessions: session id 0, full fetch every time;
 *       topic ids from v13</td></tr>
 *   <tr><td>ListOffsets (2)</td><td>1-11</td><td>1-11</td><td>-1 latest, -2 earliest, -3 max timestamp,
 *       -4 earliest local (= earliest), -5/-6 tiered (none: offset -1)</td></tr>
 *   <tr><td>Metadata (3)</td><td>0-13</td><td>0-13</td><td>one broker, leader epoch 0</td></tr>
 *   <tr><td>DescribeTopicPartitions (75)</td><td>0</td><td>0</td><td>KIP-966, what {@code Admin.describeTopics}
 *       uses: cursor pagination, empty ELR on one node</td></tr>
 *   <tr><td>ApiVersions (18)</td><td>0-5</td><td>any</td><td>a newer version gets a v0 UNSUPPORTED_VERSION
 *       answer; v5 checks the client's cluster id and node id (KIP-1242)</td></tr>
 *   <tr><td>CreateTopics (19)</td><td>2-7</td><td>2-7</td><td>replication factor 1 only</td></tr>
 *   <tr><td>InitProducerId (22)</td><td>0-6</td><td>0-6</td><td>idempotent and transactional producers; v6's two-phase commit (KIP-939) is refused</td></tr>
 *   <tr><td>group APIs</td><td colspan="3">see {@link io.tributary.kafka.group.GroupApis}: FindCoordinator 0-6,
 *       JoinGroup 0-9, SyncGroup 0-5, Heartbeat 0-4, LeaveGroup 0-5, OffsetCommit 2-10, OffsetFetch 1-10 (v10 of
 *       both addresses topics by id), OffsetDelete 0, ListGroups 0-5, DescribeGroups 0-6, DeleteGroups 0-3 (v3's per-group error message left null, as Kafka 4.4 leaves it for GROUP_ID_NOT_FOUND),
 *       ConsumerGroupHeartbeat 0-1, ConsumerGroupDescribe 0-1</td></tr>
 *   <tr><td>admin APIs</td><td colspan="3">see {@link io.tributary.kafka.admin.AdminApis}: DeleteTopics 1-6,
 *       CreatePartitions 0-3, DescribeConfigs 1-4, AlterConfigs 0-2, IncrementalAlterConfigs 0-1,
 *       DescribeCluster 0-2, DeleteRecords 0-2, OffsetForLeaderEpoch 2-4, DescribeProducers 0,
 *       DescribeLogDirs 1-5, ElectLeaders 0-2, List/AlterPartitionReassignments 0/0-1, ListConfigResources 0-1</td></tr>
 *   <tr><td>transaction APIs</td><td colspan="3">see {@link io.tributary.kafka.txn.TxnApis}: AddPartitionsToTxn 0-3
 *       (the client versions; v4+ are broker-to-broker), AddOffsetsToTxn 0-4, TxnOffsetCommit 0-5, EndTxn 0-5 (v5 of
 *       both and Produce v12 are KIP-890 part 2, used by clients when ApiVersions finalizes transaction.version 2,
 *       see {@link ApiVersionsHandler}), ListTransactions 0-2, DescribeTransactions 0, WriteTxnMarkers 1-2 (for
 *       {@code Admin.abortTransaction});
 *       FindCoordinator answers for transaction keys</td></tr>
 *   <tr><td>share-group APIs</td><td colspan="3">see {@link io.tributary.kafka.share.ShareApis}: ShareGroupHeartbeat 1,
 *       ShareFetch 1-2, ShareAcknowledge 1-2, ShareGroupDescribe 1, DescribeShareGroupOffsets 0-1,
 *       AlterShareGroupOffsets 0, DeleteShareGroupOffsets 0 (KIP-932; the versions kafka-clients 4.4 sends)</td></tr>
 *   <tr><td>security APIs</td><td colspan="3">see {@link io.tributary.kafka.security.SaslApis}: SaslHandshake 0-1
 *       (v0 advertised because librdkafka uses SASL only when it is listed, as Kafka lists it; a v0 handshake, which
 *       would be followed by raw tokens outside Kafka frames, is answered UNSUPPORTED_VERSION), SaslAuthenticate 0-2,
 *       DescribeUserScramCredentials 0, AlterUserScramCredentials 0, DescribeAcls 1-3, CreateAcls 1-3,
 *       DeleteAcls 1-3, DescribeClientQuotas 0-1, AlterClientQuotas 0-1 (see
 *       {@link io.tributary.kafka.security.QuotaApis})</td></tr>
 * </table>
 */
public final class SupportedApis {
    private static final Map<ApiKeys, short[]> RANGES = new EnumMap<>(ApiKeys.class);

    static {
        range(ApiKeys.PRODUCE, ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION, 13);
        range(ApiKeys.FETCH, 4, 18);
        range(ApiKeys.LIST_OFFSETS, 1, 11);
        range(ApiKeys.METADATA, 0, 13);
        range(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, 0, 0);
        range(ApiKeys.API_VERSIONS, 0, 5);
        range(ApiKeys.CREATE_TOPICS, 2, 7);
        range(ApiKeys.INIT_PRODUCER_ID, 0, 5);
        range(ApiKeys.FIND_COORDINATOR, 0, 6);
        range(ApiKeys.JOIN_GROUP, 0, 9);
        range(ApiKeys.SYNC_GROUP, 0, 5);
        range(ApiKeys.HEARTBEAT, 0, 4);
        range(ApiKeys.LEAVE_GROUP, 0, 5);
        range(ApiKeys.OFFSET_COMMIT, 2, 10);
        range(ApiKeys.OFFSET_FETCH, 1, 10);
        range(ApiKeys.OFFSET_DELETE, 0, 0);
        range(ApiKeys.LIST_GROUPS, 0, 5);
        range(ApiKeys.DESCRIBE_GROUPS, 0, 6);
        range(ApiKeys.DELETE_GROUPS, 0, 3);
        range(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1);
        range(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0, 1);
        range(ApiKeys.DELETE_TOPICS, 1, 6);
        range(ApiKeys.CREATE_PARTITIONS, 0, 3);
        range(ApiKeys.DESCRIBE_CONFIGS, 1, 4);
        range(ApiKeys.ALTER_CONFIGS, 0, 2);
        range(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1);
        range(ApiKeys.DESCRIBE_CLUSTER, 0, 2);
        range(ApiKeys.DELETE_RECORDS, 0, 2);
        range(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 2, 4);
        range(ApiKeys.DESCRIBE_PRODUCERS, 0, 0);
        range(ApiKeys.LIST_TRANSACTIONS, 0, 2);
        range(ApiKeys.DESCRIBE_LOG_DIRS, 1, 5);
        range(ApiKeys.ELECT_LEADERS, 0, 2);
        range(ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0, 0);
        range(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, 0, 1);
        range(ApiKeys.LIST_CONFIG_RESOURCES, 0, 1);
        range(ApiKeys.SHARE_GROUP_HEARTBEAT, 1, 1);
        range(ApiKeys.SHARE_FETCH, 1, 2);
        range(ApiKeys.SHARE_ACKNOWLEDGE, 1, 2);
        range(ApiKeys.SHARE_GROUP_DESCRIBE, 1, 1);
        range(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, 0, 1);
        range(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, 0, 0);
        range(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, 0, 0);
        range(ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 5);
        range(ApiKeys.ADD_OFFSETS_TO_TXN, 0, 4);
        range(ApiKeys.TXN_OFFSET_COMMIT, 0, 6);
        range(ApiKeys.END_TXN, 0, 5);
        range(ApiKeys.DESCRIBE_TRANSACTIONS, 0, 0);
        range(ApiKeys.WRITE_TXN_MARKERS, 1, 2);
        range(ApiKeys.SASL_HANDSHAKE, 0, 1);
        range(ApiKeys.SASL_AUTHENTICATE, 0, 2);
        range(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0);
        range(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, 0);
        range(ApiKeys.DESCRIBE_ACLS, 1, 3);
        range(ApiKeys.CREATE_ACLS, 1, 3);
        range(ApiKeys.DELETE_ACLS, 1, 3);
        range(ApiKeys.DESCRIBE_CLIENT_QUOTAS, 0, 1);
        range(ApiKeys.ALTER_CLIENT_QUOTAS, 0, 1);
    }

    private SupportedApis() {
    }

    private static void range(ApiKeys key, int min, int max) {
        RANGES.put(key, new short[] {(short) min, (short) max});
    }

    /** The APIs in the table. */
    public static Iterable<ApiKeys> keys() {
        return RANGES.keySet();
    }

    public static boolean isSupported(ApiKeys key) {
        return RANGES.containsKey(key);
    }

    /** Lowest advertised version; for Produce lower than the lowest {@linkplain #accepts accepted} one. */
    public static short minVersion(ApiKeys key) {
        return RANGES.get(key)[0];
    }

    public static short maxVersion(ApiKeys key) {
        return RANGES.get(key)[1];
    }

    /**
     * Whether a request of this API and version is decoded and handled. False for versions the
     * advertised range includes only for old clients' sake (Produce v0-2, which kafka-clients 4 can
     * no longer parse either). ApiVersions is accepted at every version, as Kafka does, so that a
     * newer client can learn the supported range.
     */
    public static boolean accepts(ApiKeys key, short version) {
        short[] range = RANGES.get(key);
        if (range == null) {
            return false;
        }
        if (key == ApiKeys.API_VERSIONS) {
            return version >= 0;
        }
        return version >= Math.max(range[0], key.oldestVersion()) && version <= range[1];
    }

    /** The table as an ApiVersions response field. */
    public static ApiVersionCollection toApiVersions() {
        ApiVersionCollection collection = new ApiVersionCollection();
        for (Map.Entry<ApiKeys, short[]> e : RANGES.entrySet()) {
            collection.add(new ApiVersion().setApiKey(e.getKey().id)
                    .setMinVersion(e.getValue()[0]).setMaxVersion(e.getValue()[1]));
        }
        return collection;
    }
}
