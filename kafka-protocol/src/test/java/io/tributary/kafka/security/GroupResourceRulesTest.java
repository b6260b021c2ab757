package io.tributary.kafka.security;

import io.tributary.kafka.security.GateHarness.Outcome;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.PatternType;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tributary.kafka.security.GateHarness.REFUSED_TOPIC;
import static io.tributary.kafka.security.GateHarness.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GroupResourceRules} through the gate ({@link GateHarness}): groups and coordinator keys refused one by
 * one, topics within a group hidden or refused as Kafka does.
 */
@Timeout(30)
class GroupResourceRulesTest {
    @RegisterExtension
    final GateHarness gate = new GateHarness();

    @Test
    void batchedFindCoordinatorRefusesKeyByKey() throws Exception {
        gate.allow(ResourceType.GROUP, "mine", Operation.DESCRIBE);
        gate.handler = m -> {
            FindCoordinatorResponseData response = new FindCoordinatorResponseData();
            ((FindCoordinatorRequestData) m).coordinatorKeys().forEach(k -> response.coordinators().add(
                    new FindCoordinatorResponseData.Coordinator().setKey(k).setNodeId(1)));
            return response;
        };
        FindCoordinatorRequestData find = new FindCoordinatorRequestData().setKeyType((byte) 0)
                .setCoordinatorKeys(new ArrayList<>(List.of("mine", "theirs")));

        Outcome outcome = gate.send(ApiKeys.FIND_COORDINATOR, (short) 4, find);

        List<FindCoordinatorResponseData.Coordinator> coordinators =
                ((FindCoordinatorResponseData) outcome.response).coordinators();
        assertThat(errors(coordinators.stream().map(c -> Map.entry(c.key(), c.errorCode()))))
                .containsEntry("mine", (short) 0).containsEntry("theirs", Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(coordinators.stream().filter(c -> c.key().equals("theirs")).findFirst().orElseThrow().nodeId())
                .isEqualTo(-1);
    }

    @Test
    void findCoordinatorOfAnUnknownKeyTypeAsksNothingAndLeavesTheKeysToTheHandler() throws Exception {
        gate.handler = m -> new FindCoordinatorResponseData();
        FindCoordinatorRequestData find = new FindCoordinatorRequestData().setKeyType((byte) 3)
                .setCoordinatorKeys(new ArrayList<>(List.of("a", "b")));

        gate.send(ApiKeys.FIND_COORDINATOR, (short) 6, find);

        assertThat(((FindCoordinatorRequestData) gate.handled.get(0)).coordinatorKeys()).containsExactly("a", "b");
    }

    @Test
    void offsetFetchOfSeveralGroupsRefusesGroupsAndTopicsOneByOne() throws Exception {
        gate.allow(ResourceType.GROUP, "mine", Operation.DESCRIBE);
        gate.allow(ResourceType.TOPIC, "allowed", Operation.DESCRIBE);
        gate.handler = m -> {
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

        OffsetFetchResponseData response = (OffsetFetchResponseData) gate.send(ApiKeys.OFFSET_FETCH, (short) 9, fetch).response;

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
        gate.allow(ResourceType.GROUP, "g-", Operation.DESCRIBE, PatternType.PREFIXED);
        gate.allow(ResourceType.TOPIC, "allowed", Operation.DESCRIBE);
        gate.handler = m -> {
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
                (ConsumerGroupDescribeResponseData) gate.send(ApiKeys.CONSUMER_GROUP_DESCRIBE, (short) 0, describe).response;

        assertThat(errors(response.groups().stream().map(g -> Map.entry(g.groupId(), g.errorCode()))))
                .containsEntry("g-open", (short) 0).containsEntry("g-hidden", REFUSED_TOPIC);
        ConsumerGroupDescribeResponseData.DescribedGroup hidden = response.groups().get(1);
        assertThat(hidden.members()).isEmpty();
        assertThat(response.groups().get(0).authorizedOperations()).isEqualTo(1 << AclOperation.DESCRIBE.code());
    }

    private static OffsetFetchRequestData.OffsetFetchRequestTopics fetchTopic(String name) {
        return new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(name).setPartitionIndexes(List.of(0));
    }
}
