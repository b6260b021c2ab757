package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tributary.kafka.security.ResourceRule.takeOut;

/**
 * The share-group offset admin APIs, authorized topic by topic (and DescribeShareGroupOffsets group by group)
 * after the group check {@link ApiRules} makes whole: a refused topic is answered TOPIC_AUTHORIZATION_FAILED,
 * the others are served; a listing of all a group's offsets leaves out the topics the principal may not
 * DESCRIBE.
 */
final class ShareResourceRules {
    private static final short REFUSED = Errors.TOPIC_AUTHORIZATION_FAILED.code();

    private ShareResourceRules() {
    }

    static void register(Map<ApiKeys, ResourceRule> rules) {
        rules.put(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, ShareResourceRules::describeOffsets);
        rules.put(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, ShareResourceRules::alterOffsets);
        rules.put(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, ShareResourceRules::deleteOffsets);
    }

    private static boolean refused(Access a, Operation operation, String topic) {
        return topic != null && !a.may(operation, ResourceType.TOPIC, topic);
    }

    private static Refusals describeOffsets(Access a, ApiMessage message) {
        DescribeShareGroupOffsetsRequestData request = (DescribeShareGroupOffsetsRequestData) message;
        List<DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup> refusedGroups =
                takeOut(request.groups(), g -> !a.may(Operation.DESCRIBE, ResourceType.GROUP, g.groupId()));
        Map<String, List<DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic>> refusedTopics =
                new HashMap<>();
        for (DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup group : request.groups()) {
            if (group.topics() != null) {
                refusedTopics.put(group.groupId(),
                        takeOut(group.topics(), t -> refused(a, Operation.DESCRIBE, t.topicName())));
            }
        }
        return Refusals.of(request.groups().isEmpty(), DescribeShareGroupOffsetsResponseData::new, m -> {
            DescribeShareGroupOffsetsResponseData response = (DescribeShareGroupOffsetsResponseData) m;
            for (DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup group : response.groups()) {
                if (group.errorCode() != Errors.NONE.code()) {
                    continue;
                }
                var refused = refusedTopics.get(group.groupId());
                if (refused == null) {
                    group.topics().removeIf(t -> refused(a, Operation.DESCRIBE, t.topicName()));
                    continue;
                }
                for (var t : refused) {
                    var topic = new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic()
                            .setTopicName(t.topicName());
                    t.partitions().forEach(p -> topic.partitions().add(
                            new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition()
                                    .setPartitionIndex(p).setStartOffset(-1).setLeaderEpoch(-1).setLag(-1)
                                    .setErrorCode(REFUSED).setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())));
                    group.topics().add(topic);
                }
            }
            refusedGroups.forEach(g -> response.groups().add(
                    new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup()
                            .setGroupId(g.groupId()).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message())));
        });
    }

    private static Refusals alterOffsets(Access a, ApiMessage message) {
        AlterShareGroupOffsetsRequestData request = (AlterShareGroupOffsetsRequestData) message;
        List<AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic> out =
                takeOut(request.topics(), t -> refused(a, Operation.READ, t.topicName()));
        return Refusals.each(out, request.topics().isEmpty(), AlterShareGroupOffsetsResponseData::new, (response, t) -> {
            var topic = new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic()
                    .setTopicName(t.topicName());
            t.partitions().forEach(p -> topic.partitions().add(
                    new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(REFUSED)
                            .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())));
            response.responses().add(topic);
        });
    }

    private static Refusals deleteOffsets(Access a, ApiMessage message) {
        DeleteShareGroupOffsetsRequestData request = (DeleteShareGroupOffsetsRequestData) message;
        List<DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic> out =
                takeOut(request.topics(), t -> refused(a, Operation.READ, t.topicName()));
        return Refusals.each(out, request.topics().isEmpty(), DeleteShareGroupOffsetsResponseData::new, (response, t) ->
                response.responses().add(new DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic()
                        .setTopicName(t.topicName()).setErrorCode(REFUSED)
                        .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())));
    }
}
