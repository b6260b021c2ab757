package io.tributary.kafka.security;

import io.netty.channel.EventLoop;
import io.tributary.kafka.TestFrames;
import io.tributary.kafka.network.KafkaRequest;
import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.network.RequestDecoder;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.security.Principal;
import io.tributary.security.acl.AclBinding;
import io.tributary.security.acl.AclStore;
import io.tributary.security.acl.Authorizer;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.PatternType;
import io.tributary.security.acl.Permission;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate's per-resource authorization against a stand-in handler that records what reached it and answers
 * each resource left in the request with NONE: the refused resources never reach it and come back with Kafka's
 * per-resource error beside the handler's entries.
 */
@Timeout(30)
class AuthorizationGateTest {
    private static final short REFUSED_TOPIC = Errors.TOPIC_AUTHORIZATION_FAILED.code();

    @TempDir
    Path dir;
    private LogManager log;
    private Authorizer authorizer;
    private final List<ApiMessage> handled = new ArrayList<>();
    private Function<ApiMessage, ApiMessage> handler;

    @BeforeEach
    void setUp() throws Exception {
        log = LogManager.open(LogManagerConfig.builder(dir.resolve("log")).build());
        log.createTopic("allowed", 1, Map.of());
        log.createTopic("denied", 1, Map.of());
        authorizer = Authorizer.fromKafkaKeys(Map.of(Authorizer.CLASS_NAME,
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer"), AclStore.open(java.nio.file.Files.createDirectories(dir.resolve("acls"))));
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    @Test
    void produceServesTheWritableTopicAndRefusesTheOther() throws Exception {
        allow(ResourceType.TOPIC, "allowed", Operation.WRITE);
        handler = m -> {
            ProduceResponseData response = new ProduceResponseData();
            ((ProduceRequestData) m).topicData().forEach(t -> response.responses().add(
                    new ProduceResponseData.TopicProduceResponse().setName(t.name())));
            return response;
        };

        Outcome outcome = send(ApiKeys.PRODUCE, (short) 12, produce((short) 1, "allowed", "denied"));

        assertThat(topicsOf((ProduceRequestData) handled.get(0))).containsExactly("allowed");
        ProduceResponseData response = (ProduceResponseData) outcome.response;
        assertThat(response.responses().find("allowed", Uuid.ZERO_UUID)).isNotNull();
        assertThat(response.responses().find("denied", Uuid.ZERO_UUID).partitionResponses().get(0).errorCode())
                .isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void produceToRefusedTopicsOnlyIsAnsweredWithoutTheHandler() throws Exception {
        Outcome outcome = send(ApiKeys.PRODUCE, (short) 12, produce((short) 1, "denied"));

        assertThat(handled).isEmpty();
        assertThat(((ProduceResponseData) outcome.response).responses().find("denied", Uuid.ZERO_UUID)
                .partitionResponses().get(0).errorCode()).isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void anAcksZeroProduceWithARefusedTopicAppendsTheRestThenClosesTheConnection() throws Exception {
        allow(ResourceType.TOPIC, "allowed", Operation.WRITE);
        handler = m -> null;

        Outcome outcome = send(ApiKeys.PRODUCE, (short) 12, produce((short) 0, "allowed", "denied"));

        assertThat(topicsOf((ProduceRequestData) handled.get(0))).containsExactly("allowed");
        assertThat(outcome.closeReason).contains("Topic authorization failed");
    }

    @Test
    void offsetCommitRefusesTheTopicNotTheGroup() throws Exception {
        allow(ResourceType.GROUP, "g", Operation.READ);
        allow(ResourceType.TOPIC, "allowed", Operation.READ);
        handler = m -> {
            OffsetCommitResponseData response = new OffsetCommitResponseData();
            ((OffsetCommitRequestData) m).topics().forEach(t -> response.topics().add(
                    new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(t.name())));
            return response;
        };
        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g");
        for (String name : List.of("allowed", "denied")) {
            commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(name).setPartitions(
                    List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0))));
        }

        Outcome outcome = send(ApiKeys.OFFSET_COMMIT, (short) 9, commit);

        assertThat(errors(((OffsetCommitResponseData) outcome.response).topics().stream()
                .map(t -> Map.entry(t.name(), t.partitions().isEmpty() ? 0 : t.partitions().get(0).errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC);
    }

    @Test
    void offsetCommitToARefusedGroupIsRefusedWhole() throws Exception {
        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g");
        commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("allowed").setPartitions(
                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0))));

        Outcome outcome = send(ApiKeys.OFFSET_COMMIT, (short) 9, commit);

        assertThat(handled).isEmpty();
        assertThat(((OffsetCommitResponseData) outcome.response).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void deleteTopicsTellsUnknownFromRefusedOnlyToWhoMayDescribe() throws Exception {
        allow(ResourceType.TOPIC, "allowed", Operation.DELETE);
        allow(ResourceType.TOPIC, "ghost", Operation.DESCRIBE);
        handler = m -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            ((DeleteTopicsRequestData) m).topicNames().forEach(n -> response.responses().add(
                    new DeleteTopicsResponseData.DeletableTopicResult().setName(n)
                            .setErrorCode(n.equals("ghost") ? Errors.UNKNOWN_TOPIC_OR_PARTITION.code() : 0)));
            return response;
        };
        DeleteTopicsRequestData delete = new DeleteTopicsRequestData()
                .setTopicNames(new ArrayList<>(List.of("allowed", "denied", "ghost", "nowhere")));

        Outcome outcome = send(ApiKeys.DELETE_TOPICS, (short) 5, delete);

        assertThat(errors(((DeleteTopicsResponseData) outcome.response).responses().stream()
                .map(r -> Map.entry(r.name(), r.errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC)
                .containsEntry("ghost", Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                .containsEntry("nowhere", REFUSED_TOPIC);
    }

    @Test
    void deleteTopicsByIdHidesTheNameOfATopicThePrincipalMayNotDescribe() throws Exception {
        Uuid id = io.tributary.kafka.api.Topics.kafkaId(log.topic("denied").orElseThrow());
        DeleteTopicsRequestData delete = new DeleteTopicsRequestData().setTopics(new ArrayList<>(List.of(
                new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(id))));

        Outcome outcome = send(ApiKeys.DELETE_TOPICS, (short) 6, delete);

        DeleteTopicsResponseData.DeletableTopicResult result =
                ((DeleteTopicsResponseData) outcome.response).responses().iterator().next();
        assertThat(result.name()).isNull();
        assertThat(result.topicId()).isEqualTo(id);
        assertThat(result.errorCode()).isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void describeConfigsAnswersEachResourceWithItsOwnRefusal() throws Exception {
        allow(ResourceType.TOPIC, "allowed", Operation.DESCRIBE_CONFIGS);
        handler = m -> {
            DescribeConfigsResponseData response = new DescribeConfigsResponseData();
            ((DescribeConfigsRequestData) m).resources().forEach(r -> response.results().add(
                    new DescribeConfigsResponseData.DescribeConfigsResult().setResourceName(r.resourceName())));
            return response;
        };
        DescribeConfigsRequestData describe = new DescribeConfigsRequestData().setResources(new ArrayList<>(List.of(
                resource((byte) 2, "allowed"), resource((byte) 2, "denied"), resource((byte) 4, "1"),
                resource((byte) 32, "g"))));

        Outcome outcome = send(ApiKeys.DESCRIBE_CONFIGS, (short) 4, describe);

        assertThat(errors(((DescribeConfigsResponseData) outcome.response).results().stream()
                .map(r -> Map.entry(r.resourceName(), r.errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC)
                .containsEntry("1", Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                .containsEntry("g", Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void batchedFindCoordinatorRefusesKeyByKey() throws Exception {
        allow(ResourceType.GROUP, "mine", Operation.DESCRIBE);
        handler = m -> {
            FindCoordinatorResponseData response = new FindCoordinatorResponseData();
            ((FindCoordinatorRequestData) m).coordinatorKeys().forEach(k -> response.coordinators().add(
                    new FindCoordinatorResponseData.Coordinator().setKey(k).setNodeId(1)));
            return response;
        };
        FindCoordinatorRequestData find = new FindCoordinatorRequestData().setKeyType((byte) 0)
                .setCoordinatorKeys(new ArrayList<>(List.of("mine", "theirs")));

        Outcome outcome = send(ApiKeys.FIND_COORDINATOR, (short) 4, find);

        List<FindCoordinatorResponseData.Coordinator> coordinators =
                ((FindCoordinatorResponseData) outcome.response).coordinators();
        assertThat(errors(coordinators.stream().map(c -> Map.entry(c.key(), c.errorCode()))))
                .containsEntry("mine", (short) 0).containsEntry("theirs", Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(coordinators.stream().filter(c -> c.key().equals("theirs")).findFirst().orElseThrow().nodeId())
                .isEqualTo(-1);
    }

    @Test
    void metadataHidesRefusesAndAutoCreatesOnlyWithCreate() throws Exception {
        allow(ResourceType.TOPIC, "allowed", Operation.READ);
        allow(ResourceType.TOPIC, "new-", Operation.DESCRIBE, PatternType.PREFIXED);
        allow(ResourceType.TOPIC, "new-ok", Operation.CREATE);
        handler = m -> {
            MetadataResponseData response = new MetadataResponseData();
            List<String> names = ((MetadataRequestData) m).topics() == null ? List.of("allowed", "denied")
                    : ((MetadataRequestData) m).topics().stream().map(t -> t.name()).toList();
            names.forEach(n -> response.topics().add(new MetadataResponseData.MetadataResponseTopic().setName(n)));
            return response;
        };

        MetadataResponseData all = (MetadataResponseData) send(ApiKeys.METADATA, (short) 12,
                new MetadataRequestData().setTopics(null).setIncludeTopicAuthorizedOperations(true)).response;
        MetadataResponseData named = (MetadataResponseData) send(ApiKeys.METADATA, (short) 12,
                metadata("allowed", "denied", "new-ok", "new-no")).response;

        assertThat(all.topics()).extracting(MetadataResponseData.MetadataResponseTopic::name).containsExactly("allowed");
        assertThat(all.topics().find("allowed").topicAuthorizedOperations())
                .isEqualTo(1 << AclOperation.READ.code() | 1 << AclOperation.DESCRIBE.code());
        assertThat(errors(named.topics().stream().map(t -> Map.entry(t.name(), t.errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC)
                .containsEntry("new-ok", (short) 0).containsEntry("new-no", REFUSED_TOPIC);
    }

    @Test
    void createTopicsWithoutDescribeConfigsReturnsNoConfigs() throws Exception {
        allow(ResourceType.TOPIC, "mine", Operation.CREATE);
        handler = m -> {
            CreateTopicsResponseData response = new CreateTopicsResponseData();
            ((CreateTopicsRequestData) m).topics().forEach(t -> response.topics().add(
                    new CreateTopicsResponseData.CreatableTopicResult().setName(t.name()).setNumPartitions(1)
                            .setReplicationFactor((short) 1)));
            return response;
        };
        CreateTopicsRequestData create = new CreateTopicsRequestData();
        for (String name : List.of("mine", "theirs")) {
            create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(1)
                    .setReplicationFactor((short) 1));
        }

        CreateTopicsResponseData response = (CreateTopicsResponseData) send(ApiKeys.CREATE_TOPICS, (short) 7, create).response;

        assertThat(response.topics().find("theirs").errorCode()).isEqualTo(REFUSED_TOPIC);
        CreateTopicsResponseData.CreatableTopicResult mine = response.topics().find("mine");
        assertThat(mine.errorCode()).isZero();
        assertThat(mine.topicConfigErrorCode()).isEqualTo(REFUSED_TOPIC);
        assertThat(mine.numPartitions()).isEqualTo(-1);
    }

    @Test
    void addPartitionsToTxnWithARefusedTopicAddsNothing() throws Exception {
        allow(ResourceType.TRANSACTIONAL_ID, "tx", Operation.WRITE);
        allow(ResourceType.TOPIC, "allowed", Operation.WRITE);
        AddPartitionsToTxnRequestData add = new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("tx");
        for (String name : List.of("allowed", "denied")) {
            add.v3AndBelowTopics().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(name)
                    .setPartitions(List.of(0)));
        }

        Outcome outcome = send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 3, add);

        assertThat(handled).isEmpty();
        AddPartitionsToTxnResponseData response = (AddPartitionsToTxnResponseData) outcome.response;
        assertThat(response.resultsByTopicV3AndBelow().find("allowed").resultsByPartition().find(0).partitionErrorCode())
                .isEqualTo(Errors.OPERATION_NOT_ATTEMPTED.code());
        assertThat(response.resultsByTopicV3AndBelow().find("denied").resultsByPartition().find(0).partitionErrorCode())
                .isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void addPartitionsToTxnBatchedForBrokersNeedsClusterActionNotTheIdOrTopic() throws Exception {
        allow(ResourceType.TRANSACTIONAL_ID, "tx", Operation.WRITE);
        allow(ResourceType.TOPIC, "allowed", Operation.WRITE);
        handler = m -> new AddPartitionsToTxnResponseData();
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("denied").setPartitions(List.of(0)));
        AddPartitionsToTxnRequestData add = new AddPartitionsToTxnRequestData();
        add.transactions().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId("tx")
                .setVerifyOnly(true).setTopics(topics));

        Outcome refused = send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5, add);
        allow(ResourceType.CLUSTER, "kafka-cluster", Operation.CLUSTER_ACTION);
        send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5, add);

        assertThat(((AddPartitionsToTxnResponseData) refused.response).errorCode())
                .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(handled).hasSize(1);
    }

    @Test
    void offsetFetchOfSeveralGroupsRefusesGroupsAndTopicsOneByOne() throws Exception {
        allow(ResourceType.GROUP, "mine", Operation.DESCRIBE);
        allow(ResourceType.TOPIC, "allowed", Operation.DESCRIBE);
        handler = m -> {
            OffsetFetchResponseData response = new OffsetFetchResponseData();
            ((OffsetFetchRequestData) m).groups().forEach(g -> {
                OffsetFetchResponseData.OffsetFetchResponseGroup group =
                        new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(g.groupId());
                g.topics().forEach(t -> group.topics().add(
                        new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(t.name())));
                response.groups().add(group);
            });
            return response;
        };
        OffsetFetchRequestData fetch = new OffsetFetchRequestData();
        for (String group : List.of("mine", "theirs")) {
            fetch.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(
                    new ArrayList<>(List.of(fetchTopic("allowed"), fetchTopic("denied")))));
        }

        OffsetFetchResponseData response = (OffsetFetchResponseData) send(ApiKeys.OFFSET_FETCH, (short) 9, fetch).response;

        assertThat(errors(response.groups().stream().map(g -> Map.entry(g.groupId(), g.errorCode()))))
                .containsEntry("mine", (short) 0).containsEntry("theirs", Errors.GROUP_AUTHORIZATION_FAILED.code());
        OffsetFetchResponseData.OffsetFetchResponseGroup mine = response.groups().stream()
                .filter(g -> g.groupId().equals("mine")).findFirst().orElseThrow();
        assertThat(errors(mine.topics().stream().map(t -> Map.entry(t.name(),
                t.partitions().isEmpty() ? 0 : t.partitions().get(0).errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC);
    }

    @Test
    void aDescribedConsumerGroupAssignedATopicThePrincipalMayNotDescribeIsRefused() throws Exception {
        allow(ResourceType.GROUP, "g-", Operation.DESCRIBE, PatternType.PREFIXED);
        allow(ResourceType.TOPIC, "allowed", Operation.DESCRIBE);
        handler = m -> {
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
            for (String group : ((ConsumerGroupDescribeRequestData) m).groupIds()) {
                String topic = group.equals("g-open") ? "allowed" : "denied";
                ConsumerGroupDescribeResponseData.Member member = new ConsumerGroupDescribeResponseData.Member();
                member.assignment().topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicName(topic).setPartitions(List.of(0)));
                response.groups().add(new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(group)
                        .setGroupState("Stable").setMembers(new ArrayList<>(List.of(member))));
            }
            return response;
        };
        ConsumerGroupDescribeRequestData describe = new ConsumerGroupDescribeRequestData()
                .setGroupIds(new ArrayList<>(List.of("g-open", "g-hidden"))).setIncludeAuthorizedOperations(true);

        ConsumerGroupDescribeResponseData response =
                (ConsumerGroupDescribeResponseData) send(ApiKeys.CONSUMER_GROUP_DESCRIBE, (short) 0, describe).response;

        assertThat(errors(response.groups().stream().map(g -> Map.entry(g.groupId(), g.errorCode()))))
                .containsEntry("g-open", (short) 0).containsEntry("g-hidden", REFUSED_TOPIC);
        ConsumerGroupDescribeResponseData.DescribedGroup hidden = response.groups().get(1);
        assertThat(hidden.members()).isEmpty();
        assertThat(response.groups().get(0).authorizedOperations()).isEqualTo(1 << AclOperation.DESCRIBE.code());
    }

    @Test
    void aConsumerHeartbeatSubscribingToATopicThePrincipalMayNotDescribeIsRefused() throws Exception {
        allow(ResourceType.GROUP, "g", Operation.READ);
        allow(ResourceType.TOPIC, "allowed", Operation.READ);
        ConsumerGroupHeartbeatRequestData heartbeat = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId("m").setRebalanceTimeoutMs(1000).setSubscribedTopicNames(List.of("allowed", "denied"));

        Outcome outcome = send(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 0, heartbeat);

        assertThat(handled).isEmpty();
        assertThat(((ConsumerGroupHeartbeatResponseData) outcome.response).errorCode()).isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void shareGroupOffsetsAreAlteredForTheReadableTopicAndListedForDescribableOnes() throws Exception {
        allow(ResourceType.GROUP, "s", Operation.READ);
        allow(ResourceType.TOPIC, "allowed", Operation.READ);
        handler = m -> {
            if (m instanceof DescribeShareGroupOffsetsRequestData) {
                var group = new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup().setGroupId("s");
                for (String name : List.of("allowed", "denied")) {
                    group.topics().add(new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic()
                            .setTopicName(name));
                }
                return new DescribeShareGroupOffsetsResponseData().setGroups(new ArrayList<>(List.of(group)));
            }
            AlterShareGroupOffsetsResponseData response = new AlterShareGroupOffsetsResponseData();
            ((AlterShareGroupOffsetsRequestData) m).topics().forEach(t -> response.responses().add(
                    new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic().setTopicName(t.topicName())));
            return response;
        };
        AlterShareGroupOffsetsRequestData alter = new AlterShareGroupOffsetsRequestData().setGroupId("s");
        for (String name : List.of("allowed", "denied")) {
            alter.topics().add(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic().setTopicName(name)
                    .setPartitions(List.of(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition()
                            .setPartitionIndex(0).setStartOffset(0))));
        }
        DescribeShareGroupOffsetsRequestData describe = new DescribeShareGroupOffsetsRequestData().setGroups(
                new ArrayList<>(List.of(new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup()
                        .setGroupId("s").setTopics(null),
                        new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup()
                                .setGroupId("other").setTopics(null))));

        AlterShareGroupOffsetsResponseData altered = (AlterShareGroupOffsetsResponseData)
                send(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, (short) 0, alter).response;
        DescribeShareGroupOffsetsResponseData described = (DescribeShareGroupOffsetsResponseData)
                send(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, (short) 1, describe).response;

        assertThat(altered.responses().find("allowed").partitions()).isEmpty();
        assertThat(altered.responses().find("denied").partitions().get(0).errorCode()).isEqualTo(REFUSED_TOPIC);
        assertThat(errors(described.groups().stream().map(g -> Map.entry(g.groupId(), g.errorCode()))))
                .containsEntry("s", (short) 0).containsEntry("other", Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(described.groups().get(0).topics()).extracting(t -> t.topicName()).containsExactly("allowed");
    }

    private static OffsetFetchRequestData.OffsetFetchRequestTopics fetchTopic(String name) {
        return new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(name).setPartitionIndexes(List.of(0));
    }

    private static DescribeConfigsRequestData.DescribeConfigsResource resource(byte type, String name) {
        return new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type).setResourceName(name);
    }

    private static MetadataRequestData metadata(String... names) {
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
        for (String name : names) {
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(name));
        }
        return request;
    }

    private static ProduceRequestData produce(short acks, String... topics) {
        ProduceRequestData request = new ProduceRequestData().setAcks(acks).setTimeoutMs(1000);
        for (String topic : topics) {
            ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
            data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                    .setRecords(MemoryRecords.EMPTY));
            request.topicData().add(data);
        }
        return request;
    }

    private static List<String> topicsOf(ProduceRequestData request) {
        return request.topicData().stream().map(ProduceRequestData.TopicProduceData::name).toList();
    }

    private static Map<String, Short> errors(java.util.stream.Stream<Map.Entry<String, ? extends Number>> entries) {
        Map<String, Short> errors = new TreeMap<>();
        entries.forEach(e -> errors.put(e.getKey(), e.getValue().shortValue()));
        return errors;
    }

    private void allow(ResourceType type, String name, Operation operation) {
        allow(type, name, operation, PatternType.LITERAL);
    }

    private void allow(ResourceType type, String name, Operation operation, PatternType pattern) {
        authorizer.create(List.of(new AclBinding(type, name, pattern, "User:alice", "*", operation, Permission.ALLOW)));
    }

    /** Sends {@code body} as alice through a gate (auto-creation on) and answers what came back. */
    private Outcome send(ApiKeys api, short version, ApiMessage body) throws Exception {
        KafkaRequest request = RequestDecoder.decode(TestFrames.payload(api, version, body, 1));
        Outcome outcome = new Outcome();
        AuthorizationGate gate = new AuthorizationGate(authorizer, log, true, context -> {
            handled.add(context.request().body());
            ApiMessage response = handler.apply(context.request().body());
            if (response == null) {
                context.respondNothing();
            } else {
                context.respond(response);
            }
        });
        gate.dispatch(new AliceContext(request, outcome));
        assertThat(outcome.finished).as("answered at once").isTrue();
        return outcome;
    }

    private static final class Outcome {
        ApiMessage response;
        String closeReason;
        boolean finished;
    }

    private record AliceContext(KafkaRequest request, Outcome outcome) implements RequestContext {
        @Override
        public EventLoop eventLoop() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public Principal principal() {
            return Principal.user("alice");
        }

        @Override
        public void respond(ApiMessage response) {
            finish(response, null);
        }

        @Override
        public void respondNothing() {
            finish(null, null);
        }

        @Override
        public void closeConnection(String reason) {
            finish(null, reason);
        }

        private void finish(ApiMessage response, String reason) {
            assertThat(outcome.finished).as("finished twice").isFalse();
            outcome.response = response;
            outcome.closeReason = reason;
            outcome.finished = true;
        }
    }
}
