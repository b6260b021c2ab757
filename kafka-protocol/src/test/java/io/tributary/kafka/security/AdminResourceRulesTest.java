package io.tributary.kafka.security;

import io.tributary.kafka.api.Topics;
import io.tributary.kafka.security.GateHarness.Outcome;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tributary.kafka.security.GateHarness.REFUSED_TOPIC;
import static io.tributary.kafka.security.GateHarness.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AdminResourceRules} through the gate ({@link GateHarness}): topic and config administration
 * answered resource by resource.
 */
@Timeout(30)
class AdminResourceRulesTest {
    @RegisterExtension
    final GateHarness gate = new GateHarness();

    @Test
    void deleteTopicsTellsUnknownFromRefusedOnlyToWhoMayDescribe() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.DELETE);
        gate.allow(ResourceType.TOPIC, "ghost", Operation.DESCRIBE);
        gate.handler = m -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            ((DeleteTopicsRequestData) m).topicNames().forEach(n -> response.responses().add(
                    new DeleteTopicsResponseData.DeletableTopicResult().setName(n)
                            .setErrorCode(n.equals("ghost") ? Errors.UNKNOWN_TOPIC_OR_PARTITION.code() : 0)));
            return response;
        };
        DeleteTopicsRequestData delete = new DeleteTopicsRequestData()
                .setTopicNames(new ArrayList<>(List.of("allowed", "denied", "ghost", "nowhere")));

        Outcome outcome = gate.send(ApiKeys.DELETE_TOPICS, (short) 5, delete);

        assertThat(errors(((DeleteTopicsResponseData) outcome.response).responses().stream()
                .map(r -> Map.entry(r.name(), r.errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC)
                .containsEntry("ghost", Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                .containsEntry("nowhere", REFUSED_TOPIC);
    }

    @Test
    void deleteTopicsByIdHidesTheNameOfATopicThePrincipalMayNotDescribe() throws Exception {
        Uuid id = io.tributary.kafka.api.Topics.kafkaId(gate.log().topic("denied").orElseThrow());
        DeleteTopicsRequestData delete = new DeleteTopicsRequestData().setTopics(new ArrayList<>(List.of(
                new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(id))));

        Outcome outcome = gate.send(ApiKeys.DELETE_TOPICS, (short) 6, delete);

        DeleteTopicsResponseData.DeletableTopicResult result =
                ((DeleteTopicsResponseData) outcome.response).responses().iterator().next();
        assertThat(result.name()).isNull();
        assertThat(result.topicId()).isEqualTo(id);
        assertThat(result.errorCode()).isEqualTo(REFUSED_TOPIC);
    }

    @Test
    void withTopicDeletionDisabledDeleteTopicsReachesTheHandlerWholeAsKafkaRefusesItBeforeAskingAnyAcl()
            throws Exception {
        // Given a broker with delete.topic.enable=false, and a principal that may delete nothing
        gate.settings = new BrokerSettings(1, "cluster", 1, true, 1 << 20, 60_000L,
                Map.of("delete.topic.enable", "false"));
        gate.handler = m -> new DeleteTopicsResponseData();
        DeleteTopicsRequestData delete = new DeleteTopicsRequestData()
                .setTopicNames(new ArrayList<>(List.of("allowed", "denied", "nowhere")));

        // When it asks to delete topics it may not
        gate.send(ApiKeys.DELETE_TOPICS, (short) 5, delete);

        // Then none is refused here: the handler gets them all, to answer TOPIC_DELETION_DISABLED
        assertThat(((DeleteTopicsRequestData) gate.handled.get(0)).topicNames())
                .containsExactly("allowed", "denied", "nowhere");
    }

    @Test
    void describeConfigsAnswersEachResourceWithItsOwnRefusal() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.DESCRIBE_CONFIGS);
        gate.handler = m -> {
            DescribeConfigsResponseData response = new DescribeConfigsResponseData();
            ((DescribeConfigsRequestData) m).resources().forEach(r -> response.results().add(
                    new DescribeConfigsResponseData.DescribeConfigsResult().setResourceName(r.resourceName())));
            return response;
        };
        DescribeConfigsRequestData describe = new DescribeConfigsRequestData().setResources(new ArrayList<>(List.of(
                resource((byte) 2, "allowed"), resource((byte) 2, "denied"), resource((byte) 4, "1"),
                resource((byte) 32, "g"))));

        Outcome outcome = gate.send(ApiKeys.DESCRIBE_CONFIGS, (short) 4, describe);

        assertThat(errors(((DescribeConfigsResponseData) outcome.response).results().stream()
                .map(r -> Map.entry(r.resourceName(), r.errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC)
                .containsEntry("1", Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                .containsEntry("g", Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void createTopicsWithoutDescribeConfigsReturnsNoConfigs() throws Exception {
        gate.allow(ResourceType.TOPIC, "mine", Operation.CREATE);
        gate.handler = m -> {
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

        CreateTopicsResponseData response = (CreateTopicsResponseData) gate.send(ApiKeys.CREATE_TOPICS, (short) 7, create).response;

        assertThat(response.topics().find("theirs").errorCode()).isEqualTo(REFUSED_TOPIC);
        CreateTopicsResponseData.CreatableTopicResult mine = response.topics().find("mine");
        assertThat(mine.errorCode()).isZero();
        assertThat(mine.topicConfigErrorCode()).isEqualTo(REFUSED_TOPIC);
        assertThat(mine.numPartitions()).isEqualTo(-1);
    }

    @Test
    void deleteTopicsAnswersInRandomOrderAsKafkaDoes() throws Exception {
        gate.allow(ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, Operation.DELETE);
        List<String> names = List.of("a", "b", "c", "d", "e", "f");
        gate.handler = m -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            ((DeleteTopicsRequestData) m).topicNames().forEach(n -> response.responses().add(
                    new DeleteTopicsResponseData.DeletableTopicResult().setName(n)));
            return response;
        };
        Set<List<String>> orders = new HashSet<>();

        for (int i = 0; i < 20; i++) {
            DeleteTopicsResponseData response = (DeleteTopicsResponseData) gate.send(ApiKeys.DELETE_TOPICS, (short) 5,
                    new DeleteTopicsRequestData().setTopicNames(new ArrayList<>(names))).response;
            orders.add(response.responses().stream().map(DeleteTopicsResponseData.DeletableTopicResult::name).toList());
        }

        assertThat(orders).as("orders seen in 20 answers").hasSizeGreaterThan(1)
                .allSatisfy(order -> assertThat(order).containsExactlyInAnyOrderElementsOf(names));
    }

    @Test
    void createTopicsLeavesANameGivenTwiceToTheHandlerRefusedOrNot() throws Exception {
        gate.handler = m -> new CreateTopicsResponseData();
        CreateTopicsRequestData create = new CreateTopicsRequestData();
        for (String name : List.of("theirs", "theirs", "other")) {
            create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(1)
                    .setReplicationFactor((short) 1));
        }

        CreateTopicsResponseData response = (CreateTopicsResponseData) gate.send(ApiKeys.CREATE_TOPICS, (short) 7,
                create).response;

        assertThat(((CreateTopicsRequestData) gate.handled.get(0)).topics())
                .extracting(CreateTopicsRequestData.CreatableTopic::name).containsExactly("theirs", "theirs");
        assertThat(response.topics()).extracting(CreateTopicsResponseData.CreatableTopicResult::name)
                .containsExactly("other");
    }

    @Test
    void deleteTopicsLeavesANameGivenTwiceToTheHandlerRefusedOrNot() throws Exception {
        gate.handler = m -> new DeleteTopicsResponseData();

        gate.send(ApiKeys.DELETE_TOPICS, (short) 5,
                new DeleteTopicsRequestData().setTopicNames(new ArrayList<>(List.of("denied", "denied", "nowhere"))));

        assertThat(((DeleteTopicsRequestData) gate.handled.get(0)).topicNames())
                .as("Kafka answers a duplicate INVALID_REQUEST before it authorizes").containsExactly("denied", "denied");
    }

    private static DescribeConfigsRequestData.DescribeConfigsResource resource(byte type, String name) {
        return new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type).setResourceName(name);
    }
}
