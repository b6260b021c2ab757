package io.tributary.kafka.security;

import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.security.GateHarness.Outcome;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.tributary.kafka.security.GateHarness.REFUSED_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate's mechanics against a stand-in handler ({@link GateHarness}): a whole-request refusal never reaches the
 * handler; refused resources are taken out of the request and answered beside the handler's entries, or alone when
 * nothing is left; an acks=0 produce closes its connection; share requests reach their handler whole, with READ on
 * their topics to ask. The per-resource rules have their own tests beside them.
 */
@Timeout(30)
class AuthorizationGateTest {
    @RegisterExtension
    final GateHarness gate = new GateHarness();

    @Test
    void produceServesTheWritableTopicAndRefusesTheOther() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.WRITE);
        gate.handler = m -> {
            ProduceResponseData response = new ProduceResponseData();
            ((ProduceRequestData) m).topicData().forEach(t -> response.responses().add(
                    new ProduceResponseData.TopicProduceResponse().setName(t.name())));
            return response;
        };

        Outcome outcome = gate.send(ApiKeys.PRODUCE, (short) 12, produce((short) 1, "allowed", "denied"));

        assertThat(topicsOf((ProduceRequestData) gate.handled.get(0))).containsExactly("allowed");
        ProduceResponseData response = (ProduceResponseData) outcome.response;
        assertThat(response.responses().find("allowed", Uuid.ZERO_UUID)).isNotNull();
        assertThat(response.responses().find("denied", Uuid.ZERO_UUID).partitionResponses().get(0).errorCode())
                .isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void produceToRefusedTopicsOnlyIsAnsweredWithoutTheHandler() throws Exception {
        Outcome outcome = gate.send(ApiKeys.PRODUCE, (short) 12, produce((short) 1, "denied"));

        assertThat(gate.handled).isEmpty();
        assertThat(((ProduceResponseData) outcome.response).responses().find("denied", Uuid.ZERO_UUID)
                .partitionResponses().get(0).errorCode()).isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void anAcksZeroProduceWithARefusedTopicAppendsTheRestThenClosesTheConnection() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.WRITE);
        gate.handler = m -> null;

        Outcome outcome = gate.send(ApiKeys.PRODUCE, (short) 12, produce((short) 0, "allowed", "denied"));

        assertThat(topicsOf((ProduceRequestData) gate.handled.get(0))).containsExactly("allowed");
        assertThat(outcome.closeReason).contains("Topic authorization failed");
    }

    @Test
    void offsetCommitToARefusedGroupIsRefusedWhole() throws Exception {
        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g");
        commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("allowed").setPartitions(
                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0))));

        Outcome outcome = gate.send(ApiKeys.OFFSET_COMMIT, (short) 9, commit);

        assertThat(gate.handled).isEmpty();
        assertThat(((OffsetCommitResponseData) outcome.response).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void aConsumerHeartbeatSubscribingToATopicThePrincipalMayNotDescribeIsRefused() throws Exception {
        gate.allow(ResourceType.GROUP, "g", Operation.READ);
        gate.allow(ResourceType.TOPIC, "allowed", Operation.READ);
        ConsumerGroupHeartbeatRequestData heartbeat = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId("m").setRebalanceTimeoutMs(1000).setSubscribedTopicNames(List.of("allowed", "denied"));

        Outcome outcome = gate.send(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 0, heartbeat);

        assertThat(gate.handled).isEmpty();
        assertThat(((ConsumerGroupHeartbeatResponseData) outcome.response).errorCode()).isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void aFollowersFetchNeedsClusterActionNotRead() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.READ);
        gate.handler = m -> new FetchResponseData();
        FetchRequestData fetch = new FetchRequestData().setReplicaId(1).setMaxWaitMs(0);
        fetch.topics().add(new FetchRequestData.FetchTopic().setTopic("allowed").setPartitions(
                List.of(new FetchRequestData.FetchPartition().setPartition(0))));

        Outcome refused = gate.send(ApiKeys.FETCH, (short) 12, fetch);
        gate.allow(ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, Operation.CLUSTER_ACTION);
        gate.send(ApiKeys.FETCH, (short) 12, fetch);

        assertThat(((FetchResponseData) refused.response).responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(REFUSED_TOPIC);
        assertThat(gate.handled).as("only with CLUSTER_ACTION").hasSize(1);
    }

    @Test
    void shareFetchReachesItsHandlerWholeWhichAsksReadTopicByTopic() throws Exception {
        gate.allow(ResourceType.GROUP, "s", Operation.READ);
        gate.allow(ResourceType.TOPIC, "allowed", Operation.READ);
        gate.handler = m -> new ShareFetchResponseData();
        ShareFetchRequestData fetch = new ShareFetchRequestData().setGroupId("s").setMemberId("m")
                .setShareSessionEpoch(0);
        for (String name : List.of("allowed", "denied")) {
            fetch.topics().add(new ShareFetchRequestData.FetchTopic().setTopicId(id(name)).setPartitions(
                    new ShareFetchRequestData.FetchPartitionCollection(List.of(
                            new ShareFetchRequestData.FetchPartition().setPartitionIndex(0)).iterator())));
        }

        gate.send(ApiKeys.SHARE_FETCH, (short) 1, fetch);

        assertThat(((ShareFetchRequestData) gate.handled.get(0)).topics()).hasSize(2);
        RequestContext reached = gate.contexts.get(0);
        assertThat(reached.mayReadTopic("allowed")).isTrue();
        assertThat(reached.mayReadTopic("denied")).isFalse();
        assertThat(reached.mayReadTopic("never-named")).as("a share session's topic").isFalse();
    }

    @Test
    void shareAcknowledgeToARefusedGroupIsRefusedWhole() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.READ);
        ShareAcknowledgeRequestData ack = new ShareAcknowledgeRequestData().setGroupId("s").setMemberId("m")
                .setShareSessionEpoch(1);

        Outcome outcome = gate.send(ApiKeys.SHARE_ACKNOWLEDGE, (short) 1, ack);

        assertThat(gate.handled).isEmpty();
        assertThat(((ShareAcknowledgeResponseData) outcome.response).errorCode())
                .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void findCoordinatorOfSharePartitionsNeedsClusterActionFromVersion6() throws Exception {
        gate.handler = m -> new FindCoordinatorResponseData();
        FindCoordinatorRequestData find = new FindCoordinatorRequestData().setKeyType((byte) 2)
                .setCoordinatorKeys(new ArrayList<>(List.of("s:" + id("allowed") + ":0", "s:" + id("denied") + ":0")));

        Outcome refused = gate.send(ApiKeys.FIND_COORDINATOR, (short) 6, find);
        gate.send(ApiKeys.FIND_COORDINATOR, (short) 5, find);
        gate.send(ApiKeys.FIND_COORDINATOR, (short) 6, find.duplicate().setCoordinatorKeys(new ArrayList<>()));
        gate.allow(ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, Operation.CLUSTER_ACTION);
        gate.send(ApiKeys.FIND_COORDINATOR, (short) 6, find);

        assertThat(((FindCoordinatorResponseData) refused.response).coordinators())
                .extracting(FindCoordinatorResponseData.Coordinator::errorCode)
                .containsExactly(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(gate.handled).as("v5 (answered INVALID_REQUEST by the handler), an empty batch, CLUSTER_ACTION")
                .hasSize(3);
    }

    private Uuid id(String topic) {
        return Topics.kafkaId(gate.log().topic(topic).orElseThrow());
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
}
