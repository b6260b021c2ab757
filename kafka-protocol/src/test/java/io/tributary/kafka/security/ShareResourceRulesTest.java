package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
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
 * {@link ShareResourceRules} through the gate ({@link GateHarness}): share-group offsets altered, deleted and
 * listed topic by topic.
 */
@Timeout(30)
class ShareResourceRulesTest {
    @RegisterExtension
    final GateHarness gate = new GateHarness();

    @Test
    void shareGroupOffsetsAreAlteredForTheReadableTopicAndListedForDescribableOnes() throws Exception {
        gate.allow(ResourceType.GROUP, "s", Operation.READ);
        gate.allow(ResourceType.TOPIC, "allowed", Operation.READ);
        gate.handler = m -> {
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
                gate.send(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, (short) 0, alter).response;
        DescribeShareGroupOffsetsResponseData described = (DescribeShareGroupOffsetsResponseData)
                gate.send(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, (short) 1, describe).response;

        assertThat(altered.responses().find("allowed").partitions()).isEmpty();
        assertThat(altered.responses().find("denied").partitions().get(0).errorCode()).isEqualTo(REFUSED_TOPIC);
        assertThat(errors(described.groups().stream().map(g -> Map.entry(g.groupId(), g.errorCode()))))
                .containsEntry("s", (short) 0).containsEntry("other", Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(described.groups().get(0).topics()).extracting(t -> t.topicName()).containsExactly("allowed");
    }
}
