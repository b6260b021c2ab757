package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tributary.kafka.security.ResourceRule.takeOut;

/**
 * The APIs that name several groups or transactional ids, authorized one by one as Kafka's {@code KafkaApis}
 * does: a refused group or id gets its own entry with GROUP_AUTHORIZATION_FAILED or
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED, the others are served. Where Kafka also answers per topic inside a
 * group (OffsetFetch) or hides topics (DescribeTransactions, OffsetFetch of all a group's offsets), so does
 * this. A described consumer or share group assigned a topic the principal may not DESCRIBE is answered
 * TOPIC_AUTHORIZATION_FAILED instead, as Kafka 4.0 and later answer it (KAFKA-18813, KAFKA-18817). Where Kafka
 * fills KIP-430's authorized operations of a described group, so does this.
 */
final class GroupResourceRules {
    private static final byte TRANSACTION_KEY = 1;
    private static final byte GROUP_KEY = 0;
    /** Why a described group the principal may DESCRIBE is answered TOPIC_AUTHORIZATION_FAILED. */
    private static final String HIDDEN_TOPICS =
            "The described group uses topics that the client is not authorized to describe.";

    private GroupResourceRules() {
    }

    static void register(Map<ApiKeys, ResourceRule> rules) {
        rules.put(ApiKeys.FIND_COORDINATOR, GroupResourceRules::findCoordinator);
        rules.put(ApiKeys.DESCRIBE_GROUPS, GroupResourceRules::describeGroups);
        rules.put(ApiKeys.DELETE_GROUPS, GroupResourceRules::deleteGroups);
        rules.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, GroupResourceRules::consumerGroupDescribe);
        rules.put(ApiKeys.SHARE_GROUP_DESCRIBE, GroupResourceRules::shareGroupDescribe);
        rules.put(ApiKeys.DESCRIBE_TRANSACTIONS, GroupResourceRules::describeTransactions);
        rules.put(ApiKeys.OFFSET_FETCH, GroupResourceRules::offsetFetch);
    }

    private static boolean refused(Access a, Operation operation, String group) {
        return !a.may(operation, ResourceType.GROUP, group);
    }

    /** Batched keys (v4 and later); a single key is authorized whole by {@link ApiRules}. */
    private static Refusals findCoordinator(Access a, ApiMessage message) {
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) message;
        if (request.coordinatorKeys().isEmpty() || request.keyType() != GROUP_KEY && request.keyType() != TRANSACTION_KEY) {
            return null; // share keys: ApiRules; unknown types: INVALID_REQUEST from the handler, unasked as in Kafka
        }
        boolean transactional = request.keyType() == TRANSACTION_KEY;
        Errors error = transactional ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : Errors.GROUP_AUTHORIZATION_FAILED;
        List<String> out = takeOut(request.coordinatorKeys(), key -> transactional
                ? !a.may(Operation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key)
                : refused(a, Operation.DESCRIBE, key));
        return Refusals.each(out, request.coordinatorKeys().isEmpty(), FindCoordinatorResponseData::new,
                (response, key) -> response.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                        .setKey(key).setErrorCode(error.code()).setNodeId(-1).setHost("").setPort(-1)));
    }

    private static Refusals describeGroups(Access a, ApiMessage message) {
        DescribeGroupsRequestData request = (DescribeGroupsRequestData) message;
        List<String> out = takeOut(request.groups(), g -> refused(a, Operation.DESCRIBE, g));
        boolean operations = request.includeAuthorizedOperations();
        if (out.isEmpty() && !operations) {
            return null;
        }
        return Refusals.of(!out.isEmpty() && request.groups().isEmpty(), DescribeGroupsResponseData::new, m -> {
            DescribeGroupsResponseData response = (DescribeGroupsResponseData) m;
            if (operations) {
                response.groups().stream().filter(g -> g.errorCode() == Errors.NONE.code()).forEach(g ->
                        g.setAuthorizedOperations(AuthorizedOperations.of(a, ResourceType.GROUP, g.groupId())));
            }
            out.forEach(g -> response.groups().add(new DescribeGroupsResponseData.DescribedGroup().setGroupId(g)
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()).setGroupState("").setProtocolType("")
                    .setProtocolData("")));
        });
    }

    private static Refusals deleteGroups(Access a, ApiMessage message) {
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) message;
        List<String> out = takeOut(request.groupsNames(), g -> refused(a, Operation.DELETE, g));
        return Refusals.each(out, request.groupsNames().isEmpty(), DeleteGroupsResponseData::new, (response, g) ->
                response.results().add(new DeletableGroupResult().setGroupId(g)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
    }

    private static Refusals consumerGroupDescribe(Access a, ApiMessage message) {
        ConsumerGroupDescribeRequestData request = (ConsumerGroupDescribeRequestData) message;
        List<String> out = takeOut(request.groupIds(), g -> refused(a, Operation.DESCRIBE, g));
        boolean operations = request.includeAuthorizedOperations();
        return Refusals.of(!out.isEmpty() && request.groupIds().isEmpty(), ConsumerGroupDescribeResponseData::new, m -> {
            ConsumerGroupDescribeResponseData response = (ConsumerGroupDescribeResponseData) m;
            response.groups().replaceAll(g -> g.errorCode() != Errors.NONE.code() || g.members().stream()
                    .flatMap(member -> Stream.concat(member.assignment().topicPartitions().stream(),
                            member.targetAssignment().topicPartitions().stream()))
                    .allMatch(tp -> a.may(Operation.DESCRIBE, ResourceType.TOPIC, tp.topicName())) ? g
                    : new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(g.groupId())
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(HIDDEN_TOPICS));
            if (operations) {
                response.groups().stream().filter(g -> g.errorCode() == Errors.NONE.code()).forEach(g ->
                        g.setAuthorizedOperations(AuthorizedOperations.of(a, ResourceType.GROUP, g.groupId())));
            }
            out.forEach(g -> response.groups().add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(g).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        });
    }

    private static Refusals shareGroupDescribe(Access a, ApiMessage message) {
        ShareGroupDescribeRequestData request = (ShareGroupDescribeRequestData) message;
        List<String> out = takeOut(request.groupIds(), g -> refused(a, Operation.DESCRIBE, g));
        boolean operations = request.includeAuthorizedOperations();
        return Refusals.of(!out.isEmpty() && request.groupIds().isEmpty(), ShareGroupDescribeResponseData::new, m -> {
            ShareGroupDescribeResponseData response = (ShareGroupDescribeResponseData) m;
            response.groups().replaceAll(g -> g.errorCode() != Errors.NONE.code() || g.members().stream()
                    .flatMap(member -> member.assignment().topicPartitions().stream())
                    .allMatch(tp -> a.may(Operation.DESCRIBE, ResourceType.TOPIC, tp.topicName())) ? g
                    : new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(g.groupId())
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(HIDDEN_TOPICS));
            if (operations) {
                response.groups().stream().filter(g -> g.errorCode() == Errors.NONE.code()).forEach(g ->
                        g.setAuthorizedOperations(AuthorizedOperations.of(a, ResourceType.GROUP, g.groupId())));
            }
            out.forEach(g -> response.groups().add(new ShareGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(g).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        });
    }

    /** Refused ids get their own error; of the others, only topics the principal may DESCRIBE are shown. */
    private static Refusals describeTransactions(Access a, ApiMessage message) {
        DescribeTransactionsRequestData request = (DescribeTransactionsRequestData) message;
        List<String> out = takeOut(request.transactionalIds(),
                id -> !a.may(Operation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id));
        return Refusals.of(request.transactionalIds().isEmpty(), DescribeTransactionsResponseData::new, m -> {
            DescribeTransactionsResponseData response = (DescribeTransactionsResponseData) m;
            response.transactionStates().forEach(t ->
                    t.topics().removeIf(topic -> !a.may(Operation.DESCRIBE, ResourceType.TOPIC, topic.topic())));
            out.forEach(id -> response.transactionStates().add(new DescribeTransactionsResponseData.TransactionState()
                    .setTransactionalId(id).setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())));
        });
    }

    /**
     * Versions 8 and later: each group DESCRIBE or GROUP_AUTHORIZATION_FAILED; within a group, named topics the
     * principal may not DESCRIBE are answered TOPIC_AUTHORIZATION_FAILED and, when all the group's offsets are
     * asked for, left out. Earlier versions name one group, authorized whole by {@link ApiRules}, and their
     * topics are treated alike.
     */
    private static Refusals offsetFetch(Access a, ApiMessage message) {
        OffsetFetchRequestData request = (OffsetFetchRequestData) message;
        if (request.groups().isEmpty()) {
            return singleGroupOffsetFetch(a, request);
        }
        List<OffsetFetchRequestData.OffsetFetchRequestGroup> refusedGroups =
                takeOut(request.groups(), g -> refused(a, Operation.DESCRIBE, g.groupId()));
        Map<String, List<OffsetFetchRequestData.OffsetFetchRequestTopics>> refusedTopics = new HashMap<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
            if (group.topics() != null) {
                refusedTopics.put(group.groupId(), takeOut(group.topics(),
                        t -> !a.may(Operation.DESCRIBE, ResourceType.TOPIC, a.topicName(t.name(), t.topicId()))));
            }
        }
        return Refusals.of(request.groups().isEmpty(), OffsetFetchResponseData::new, m -> {
            OffsetFetchResponseData response = (OffsetFetchResponseData) m;
            for (OffsetFetchResponseData.OffsetFetchResponseGroup group : response.groups()) {
                if (group.errorCode() != Errors.NONE.code()) {
                    continue;
                }
                List<OffsetFetchRequestData.OffsetFetchRequestTopics> refused = refusedTopics.get(group.groupId());
                if (refused == null) {
                    group.topics().removeIf(t -> !a.may(Operation.DESCRIBE, ResourceType.TOPIC, t.name()));
                    continue;
                }
                for (OffsetFetchRequestData.OffsetFetchRequestTopics t : refused) {
                    OffsetFetchResponseData.OffsetFetchResponseTopics topic = new OffsetFetchResponseData
                            .OffsetFetchResponseTopics().setName(t.name()).setTopicId(t.topicId());
                    t.partitionIndexes().forEach(p -> topic.partitions().add(new OffsetFetchResponseData
                            .OffsetFetchResponsePartitions().setPartitionIndex(p).setCommittedOffset(-1)
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                    group.topics().add(topic);
                }
            }
            refusedGroups.forEach(g -> response.groups().add(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(g.groupId()).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        });
    }

    private static Refusals singleGroupOffsetFetch(Access a, OffsetFetchRequestData request) {
        if (request.topics() == null) {
            return Refusals.of(false, OffsetFetchResponseData::new, m -> ((OffsetFetchResponseData) m).topics()
                    .removeIf(t -> !a.may(Operation.DESCRIBE, ResourceType.TOPIC, t.name())));
        }
        List<OffsetFetchRequestData.OffsetFetchRequestTopic> out = takeOut(request.topics(),
                t -> !a.may(Operation.DESCRIBE, ResourceType.TOPIC, t.name()));
        if (out.isEmpty()) {
            return null;
        }
        return Refusals.of(request.topics().isEmpty(), OffsetFetchResponseData::new, m -> {
            OffsetFetchResponseData response = (OffsetFetchResponseData) m;
            if (response.errorCode() != Errors.NONE.code()) {
                return;
            }
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : out) {
                OffsetFetchResponseData.OffsetFetchResponseTopic topic =
                        new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name());
                t.partitionIndexes().forEach(p -> topic.partitions().add(new OffsetFetchResponseData
                        .OffsetFetchResponsePartition().setPartitionIndex(p).setCommittedOffset(-1)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                response.topics().add(topic);
            }
        });
    }
}
