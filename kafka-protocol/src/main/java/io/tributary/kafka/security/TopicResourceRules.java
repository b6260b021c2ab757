package io.tributary.kafka.security;

import io.tributary.kafka.api.Topics;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.Set;
import java.util.Map;

import static io.tributary.kafka.security.ResourceRule.namedTwice;
import static io.tributary.kafka.security.ResourceRule.takeOut;

/**
 * The APIs that name topics and partitions, authorized topic by topic as Kafka's {@code KafkaApis} does: a
 * refused topic's partitions are answered TOPIC_AUTHORIZATION_FAILED (before any check of whether it exists),
 * the others are served. AddPartitionsToTxn is the exception Kafka makes too: one refused topic fails the
 * whole transaction's request, the refused partitions with TOPIC_AUTHORIZATION_FAILED, unknown ones with
 * UNKNOWN_TOPIC_OR_PARTITION and the rest with OPERATION_NOT_ATTEMPTED.
 */
final class TopicResourceRules {
    private static final short REFUSED = Errors.TOPIC_AUTHORIZATION_FAILED.code();

    private TopicResourceRules() {
    }

    static void register(Map<ApiKeys, ResourceRule> rules) {
        rules.put(ApiKeys.PRODUCE, TopicResourceRules::produce);
        rules.put(ApiKeys.LIST_OFFSETS, TopicResourceRules::listOffsets);
        rules.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, TopicResourceRules::offsetForLeaderEpoch);
        rules.put(ApiKeys.DELETE_RECORDS, TopicResourceRules::deleteRecords);
        rules.put(ApiKeys.CREATE_PARTITIONS, TopicResourceRules::createPartitions);
        rules.put(ApiKeys.DESCRIBE_PRODUCERS, TopicResourceRules::describeProducers);
        rules.put(ApiKeys.OFFSET_COMMIT, TopicResourceRules::offsetCommit);
        rules.put(ApiKeys.TXN_OFFSET_COMMIT, TopicResourceRules::txnOffsetCommit);
        rules.put(ApiKeys.OFFSET_DELETE, TopicResourceRules::offsetDelete);
        rules.put(ApiKeys.ADD_PARTITIONS_TO_TXN, TopicResourceRules::addPartitionsToTxn);
    }

    private static boolean refused(Access a, Operation operation, String name) {
        return name != null && !a.may(operation, ResourceType.TOPIC, name);
    }

    private static Refusals produce(Access a, ApiMessage message) {
        ProduceRequestData request = (ProduceRequestData) message;
        List<ProduceRequestData.TopicProduceData> out = takeOut(request.topicData(),
                t -> refused(a, Operation.WRITE, a.topicName(t.name(), t.topicId())));
        return Refusals.each(out, request.topicData().isEmpty(), ProduceResponseData::new, (response, t) -> {
            TopicProduceResponse topic = new TopicProduceResponse().setName(t.name()).setTopicId(t.topicId());
            t.partitionData().forEach(p -> topic.partitionResponses().add(new PartitionProduceResponse()
                    .setIndex(p.index()).setErrorCode(REFUSED).setBaseOffset(-1).setLogAppendTimeMs(-1)
                    .setLogStartOffset(-1)));
            response.responses().add(topic);
        });
    }

    private static Refusals listOffsets(Access a, ApiMessage message) {
        ListOffsetsRequestData request = (ListOffsetsRequestData) message;
        List<ListOffsetsRequestData.ListOffsetsTopic> out = takeOut(request.topics(),
                t -> refused(a, Operation.DESCRIBE, t.name()));
        return Refusals.each(out, request.topics().isEmpty(), ListOffsetsResponseData::new, (response, t) -> {
            ListOffsetsTopicResponse topic = new ListOffsetsTopicResponse().setName(t.name());
            t.partitions().forEach(p -> topic.partitions().add(new ListOffsetsPartitionResponse()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(REFUSED).setTimestamp(-1).setOffset(-1)));
            response.topics().add(topic);
        });
    }

    /**
     * Brokers may ask for any topic (CLUSTER_ACTION, the API's first users); consumers checking for truncation
     * need DESCRIBE on each topic (KIP-320).
     */
    private static Refusals offsetForLeaderEpoch(Access a, ApiMessage message) {
        if (a.mayOnCluster(Operation.CLUSTER_ACTION)) {
            return null;
        }
        OffsetForLeaderEpochRequestData request = (OffsetForLeaderEpochRequestData) message;
        List<OffsetForLeaderEpochRequestData.OffsetForLeaderTopic> out = takeOut(request.topics(),
                t -> refused(a, Operation.DESCRIBE, t.topic()));
        return Refusals.each(out, request.topics().isEmpty(), OffsetForLeaderEpochResponseData::new, (response, t) -> {
            OffsetForLeaderTopicResult topic = new OffsetForLeaderTopicResult().setTopic(t.topic());
            t.partitions().forEach(p -> topic.partitions().add(new EpochEndOffset()
                    .setPartition(p.partition()).setErrorCode(REFUSED)));
            response.topics().add(topic);
        });
    }

    private static Refusals deleteRecords(Access a, ApiMessage message) {
        DeleteRecordsRequestData request = (DeleteRecordsRequestData) message;
        List<DeleteRecordsRequestData.DeleteRecordsTopic> out = takeOut(request.topics(),
                t -> refused(a, Operation.DELETE, t.name()));
        return Refusals.each(out, request.topics().isEmpty(), DeleteRecordsResponseData::new, (response, t) -> {
            DeleteRecordsTopicResult topic = new DeleteRecordsTopicResult().setName(t.name());
            t.partitions().forEach(p -> topic.partitions().add(new DeleteRecordsPartitionResult()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(REFUSED).setLowWatermark(-1)));
            response.topics().add(topic);
        });
    }

    private static Refusals createPartitions(Access a, ApiMessage message) {
        CreatePartitionsRequestData request = (CreatePartitionsRequestData) message;
        Set<Object> twice = namedTwice(request.topics(), CreatePartitionsRequestData.CreatePartitionsTopic::name);
        List<CreatePartitionsRequestData.CreatePartitionsTopic> out = takeOut(request.topics(),
                t -> !twice.contains(t.name()) && refused(a, Operation.ALTER, t.name()));
        return Refusals.each(out, request.topics().isEmpty(), CreatePartitionsResponseData::new, (response, t) ->
                response.results().add(new CreatePartitionsTopicResult().setName(t.name()).setErrorCode(REFUSED)));
    }

    private static Refusals describeProducers(Access a, ApiMessage message) {
        DescribeProducersRequestData request = (DescribeProducersRequestData) message;
        List<DescribeProducersRequestData.TopicRequest> out = takeOut(request.topics(),
                t -> refused(a, Operation.READ, t.name()));
        return Refusals.each(out, request.topics().isEmpty(), DescribeProducersResponseData::new, (response, t) -> {
            DescribeProducersResponseData.TopicResponse topic = new DescribeProducersResponseData.TopicResponse()
                    .setName(t.name());
            t.partitionIndexes().forEach(p -> topic.partitions().add(new DescribeProducersResponseData.PartitionResponse()
                    .setPartitionIndex(p).setErrorCode(REFUSED)
                    .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())));
            response.topics().add(topic);
        });
    }

    private static Refusals offsetCommit(Access a, ApiMessage message) {
        OffsetCommitRequestData request = (OffsetCommitRequestData) message;
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> out = takeOut(request.topics(),
                t -> refused(a, Operation.READ, a.topicName(t.name(), t.topicId())));
        return Refusals.each(out, request.topics().isEmpty(), OffsetCommitResponseData::new, (response, t) -> {
            OffsetCommitResponseTopic topic = new OffsetCommitResponseTopic().setName(t.name()).setTopicId(t.topicId());
            t.partitions().forEach(p -> topic.partitions().add(new OffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(REFUSED)));
            response.topics().add(topic);
        });
    }

    private static Refusals txnOffsetCommit(Access a, ApiMessage message) {
        TxnOffsetCommitRequestData request = (TxnOffsetCommitRequestData) message;
        List<TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> out = takeOut(request.topics(),
                t -> refused(a, Operation.READ, a.topicName(t.name(), t.topicId())));
        return Refusals.each(out, request.topics().isEmpty(), TxnOffsetCommitResponseData::new, (response, t) -> {
            TxnOffsetCommitResponseTopic topic = new TxnOffsetCommitResponseTopic().setName(t.name())
                    .setTopicId(t.topicId());
            t.partitions().forEach(p -> topic.partitions().add(new TxnOffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(REFUSED)));
            response.topics().add(topic);
        });
    }

    private static Refusals offsetDelete(Access a, ApiMessage message) {
        OffsetDeleteRequestData request = (OffsetDeleteRequestData) message;
        List<OffsetDeleteRequestData.OffsetDeleteRequestTopic> out = takeOut(request.topics(),
                t -> refused(a, Operation.READ, t.name()));
        return Refusals.each(out, request.topics().isEmpty(), OffsetDeleteResponseData::new, (response, t) -> {
            OffsetDeleteResponseTopic topic = new OffsetDeleteResponseTopic().setName(t.name());
            t.partitions().forEach(p -> topic.partitions().add(new OffsetDeleteResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(REFUSED)));
            response.topics().add(topic);
        });
    }

    /** Kafka lets no client add an internal topic to a transaction: it answers it as refused. */
    private static boolean refusedToTxn(Access a, String name) {
        return Topics.isInternal(name) || refused(a, Operation.WRITE, name);
    }

    /** Client versions (0–3) only: one transactional id, authorized whole by {@link ApiRules}. */
    private static Refusals addPartitionsToTxn(Access a, ApiMessage message) {
        AddPartitionsToTxnRequestData request = (AddPartitionsToTxnRequestData) message;
        boolean anyRefused = request.v3AndBelowTopics().stream().anyMatch(t -> refusedToTxn(a, t.name()));
        if (!anyRefused) {
            return null;
        }
        List<AddPartitionsToTxnTopic> all = takeOut(request.v3AndBelowTopics(), t -> true);
        return Refusals.of(true, AddPartitionsToTxnResponseData::new, response -> {
            for (AddPartitionsToTxnTopic t : all) {
                boolean refused = refusedToTxn(a, t.name());
                AddPartitionsToTxnTopicResult topic = new AddPartitionsToTxnTopicResult().setName(t.name());
                for (int p : t.partitions()) {
                    Errors error = refused ? Errors.TOPIC_AUTHORIZATION_FAILED
                            : a.partitionExists(t.name(), p) ? Errors.OPERATION_NOT_ATTEMPTED
                            : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                            .setPartitionIndex(p).setPartitionErrorCode(error.code()));
                }
                ((AddPartitionsToTxnResponseData) response).resultsByTopicV3AndBelow().add(topic);
            }
        });
    }
}
