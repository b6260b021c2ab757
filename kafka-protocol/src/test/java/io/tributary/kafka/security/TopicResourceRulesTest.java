package io.tributary.kafka.security;

import io.tributary.kafka.security.GateHarness.Outcome;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.tributary.kafka.security.GateHarness.REFUSED_TOPIC;
import static io.tributary.kafka.security.GateHarness.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TopicResourceRules} through the gate ({@link GateHarness}): a refused topic's partitions are answered
 * TOPIC_AUTHORIZATION_FAILED beside what the handler serves of the others.
 */
@Timeout(30)
class TopicResourceRulesTest {
    @RegisterExtension
    final GateHarness gate = new GateHarness();

    @Test
    void offsetCommitRefusesTheTopicNotTheGroup() throws Exception {
        gate.allow(ResourceType.GROUP, "g", Operation.READ);
        gate.allow(ResourceType.TOPIC, "allowed", Operation.READ);
        gate.handler = m -> {
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

        Outcome outcome = gate.send(ApiKeys.OFFSET_COMMIT, (short) 9, commit);

        assertThat(errors(((OffsetCommitResponseData) outcome.response).topics().stream()
                .map(t -> Map.entry(t.name(), t.partitions().isEmpty() ? 0 : t.partitions().get(0).errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC);
    }

    @Test
    void addPartitionsToTxnWithARefusedTopicAddsNothing() throws Exception {
        gate.allow(ResourceType.TRANSACTIONAL_ID, "tx", Operation.WRITE);
        gate.allow(ResourceType.TOPIC, "allowed", Operation.WRITE);
        AddPartitionsToTxnRequestData add = new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("tx");
        for (String name : List.of("allowed", "denied")) {
            add.v3AndBelowTopics().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(name)
                    .setPartitions(List.of(0)));
        }

        Outcome outcome = gate.send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 3, add);

        assertThat(gate.handled).isEmpty();
        AddPartitionsToTxnResponseData response = (AddPartitionsToTxnResponseData) outcome.response;
        assertThat(response.resultsByTopicV3AndBelow().find("allowed").resultsByPartition().find(0).partitionErrorCode())
                .isEqualTo(Errors.OPERATION_NOT_ATTEMPTED.code());
        assertThat(response.resultsByTopicV3AndBelow().find("denied").resultsByPartition().find(0).partitionErrorCode())
                .isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void addPartitionsToTxnBatchedForBrokersNeedsClusterActionNotTheIdOrTopic() throws Exception {
        gate.allow(ResourceType.TRANSACTIONAL_ID, "tx", Operation.WRITE);
        gate.allow(ResourceType.TOPIC, "allowed", Operation.WRITE);
        gate.handler = m -> new AddPartitionsToTxnResponseData();
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("denied").setPartitions(List.of(0)));
        AddPartitionsToTxnRequestData add = new AddPartitionsToTxnRequestData();
        add.transactions().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId("tx")
                .setVerifyOnly(true).setTopics(topics));

        Outcome refused = gate.send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5, add);
        gate.allow(ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, Operation.CLUSTER_ACTION);
        gate.send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5, add);

        assertThat(((AddPartitionsToTxnResponseData) refused.response).errorCode())
                .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(gate.handled).hasSize(1);
    }

    @Test
    void createPartitionsRefusesTopicByTopicWithoutAMessageAndLeavesANameGivenTwiceToTheHandler() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.ALTER);
        gate.handler = m -> new CreatePartitionsResponseData();
        CreatePartitionsRequestData create = new CreatePartitionsRequestData();
        for (String name : List.of("allowed", "denied", "twice", "twice")) {
            create.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(name).setCount(2));
        }

        CreatePartitionsResponseData response = (CreatePartitionsResponseData) gate.send(ApiKeys.CREATE_PARTITIONS,
                (short) 3, create).response;

        assertThat(((CreatePartitionsRequestData) gate.handled.get(0)).topics())
                .extracting(CreatePartitionsRequestData.CreatePartitionsTopic::name)
                .containsExactly("allowed", "twice", "twice");
        assertThat(response.results()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("denied");
            assertThat(r.errorCode()).isEqualTo(REFUSED_TOPIC);
            assertThat(r.errorMessage()).as("as Kafka's controller answers it").isNull();
        });
    }

    @Test
    void offsetForLeaderEpochRefusesTopicByTopicUnlessTheClusterMayBeAskedAnything() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.DESCRIBE);
        gate.handler = m -> {
            OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
            ((OffsetForLeaderEpochRequestData) m).topics().forEach(t -> response.topics().add(
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(t.topic())));
            return response;
        };
        OffsetForLeaderEpochRequestData epochs = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        for (String name : List.of("allowed", "denied")) {
            OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic =
                    new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(name);
            topic.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0));
            epochs.topics().add(topic);
        }

        OffsetForLeaderEpochResponseData response = (OffsetForLeaderEpochResponseData)
                gate.send(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (short) 4, epochs).response;
        gate.allow(ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, Operation.CLUSTER_ACTION);
        gate.send(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (short) 4, epochs);

        assertThat(((OffsetForLeaderEpochRequestData) gate.handled.get(0)).topics())
                .extracting(OffsetForLeaderEpochRequestData.OffsetForLeaderTopic::topic).containsExactly("allowed");
        assertThat(response.topics().find("allowed").partitions()).isEmpty();
        OffsetForLeaderEpochResponseData.EpochEndOffset denied = response.topics().find("denied").partitions().get(0);
        assertThat(denied.errorCode()).isEqualTo(REFUSED_TOPIC);
        assertThat(denied.endOffset()).isEqualTo(-1);
        assertThat(((OffsetForLeaderEpochRequestData) gate.handled.get(1)).topics()).as("with CLUSTER_ACTION").hasSize(2);
    }
}
