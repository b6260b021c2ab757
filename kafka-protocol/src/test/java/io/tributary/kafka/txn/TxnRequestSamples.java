package io.tributary.kafka.txn;

import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.List;
import java.util.Set;

/** A valid request of each transaction API at each client version, with only the fields that version carries. */
public final class TxnRequestSamples {
    private static final Set<ApiKeys> KEYS = Set.of(ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN,
            ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.END_TXN, ApiKeys.DESCRIBE_TRANSACTIONS, ApiKeys.WRITE_TXN_MARKERS);

    private static final org.apache.kafka.common.Uuid TOPIC_ID = org.apache.kafka.common.Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");

    private TxnRequestSamples() {
    }

    public static boolean covers(ApiKeys key) {
        return KEYS.contains(key);
    }

    public static ApiMessage sample(ApiKeys key, short v) {
        return switch (key) {
            case ADD_PARTITIONS_TO_TXN -> {
                AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                        new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
                topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("t")
                        .setPartitions(List.of(0, 1)));
                if (v >= 4) {
                    AddPartitionsToTxnRequestData data = new AddPartitionsToTxnRequestData();
                    data.transactions().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction()
                            .setTransactionalId("tx").setProducerId(5).setProducerEpoch((short) 1).setVerifyOnly(true)
                            .setTopics(topics));
                    yield data;
                }
                yield new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("tx")
                        .setV3AndBelowProducerId(5).setV3AndBelowProducerEpoch((short) 1).setV3AndBelowTopics(topics);
            }
            case ADD_OFFSETS_TO_TXN -> new AddOffsetsToTxnRequestData().setTransactionalId("tx").setProducerId(5)
                    .setProducerEpoch((short) 1).setGroupId("g");
            case TXN_OFFSET_COMMIT -> {
                TxnOffsetCommitRequestData data = new TxnOffsetCommitRequestData().setTransactionalId("tx")
                        .setGroupId("g").setProducerId(5).setProducerEpoch((short) 1);
                if (v >= 3) {
                    data.setMemberId("m").setGenerationIdOrMemberEpoch(3);
                }
                TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic = v >= 6
                        ? new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setTopicId(TOPIC_ID)
                        : new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("t");
                topic.partitions().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                        .setPartitionIndex(0).setCommittedOffset(12).setCommittedMetadata("m"));
                data.topics().add(topic);
                yield data;
            }
            case END_TXN -> new EndTxnRequestData().setTransactionalId("tx").setProducerId(5)
                    .setProducerEpoch((short) 1).setCommitted(true);
            case DESCRIBE_TRANSACTIONS -> new DescribeTransactionsRequestData().setTransactionalIds(List.of("tx", "ty"));
            case WRITE_TXN_MARKERS -> {
                WriteTxnMarkersRequestData.WritableTxnMarker marker = new WriteTxnMarkersRequestData.WritableTxnMarker()
                        .setProducerId(5).setProducerEpoch((short) 1).setTransactionResult(false).setCoordinatorEpoch(0);
                marker.topics().add(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName("t")
                        .setPartitionIndexes(List.of(0)));
                WriteTxnMarkersRequestData data = new WriteTxnMarkersRequestData();
                data.markers().add(marker);
                yield data;
            }
            default -> throw new IllegalArgumentException("no sample for " + key);
        };
    }
}
