package io.tributary.kafka.admin;

import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotent producers of one partition, rebuilt from the headers of its retained batches the
 * way the pipeline rebuilds its producer state at start: per producer id, the epoch, last sequence
 * and max timestamp of its newest data batch; a commit or abort marker with a newer epoch moves the
 * producer to that epoch with no sequence and timestamp yet. Batches without a producer id are skipped.
 *
 * <p>Known gap: the pipeline also forgets producers idle longer than the producer-id expiration,
 * counted from their last append; the batch headers do not carry that time, so a producer stays
 * listed here as long as one of its batches is retained.
 */
final class ProducerScan {
    private static final int NO_COORDINATOR_EPOCH = -1;
    private static final long NO_TRANSACTION = -1L;
    private static final int NO_SEQUENCE = -1;
    private static final long NO_TIMESTAMP = -1L;

    private ProducerScan() {
    }

    /**
     * Active producers of {@code partition}, in order of first appearance, each with the first
     * offset of its open transaction from {@code openTransactions} (producer id to offset), else -1.
     */
    static List<ProducerState> scan(PartitionLog partition, Map<Long, Long> openTransactions) throws IOException {
        Map<Long, ProducerState> producers = new LinkedHashMap<>();
        partition.scanBatches(partition.logStartOffset(), header -> {
            if (header.producerId() == RecordBatchHeader.NO_PRODUCER_ID) {
                return;
            }
            ProducerState producer = producers.computeIfAbsent(header.producerId(), id -> new ProducerState()
                    .setProducerId(id).setProducerEpoch(header.producerEpoch()).setLastSequence(NO_SEQUENCE)
                    .setLastTimestamp(NO_TIMESTAMP).setCoordinatorEpoch(NO_COORDINATOR_EPOCH)
                    .setCurrentTxnStartOffset(openTransactions.getOrDefault(id, NO_TRANSACTION)));
            if (header.isControl()) {
                // a marker with a newer epoch (a fenced or timed-out transaction's abort) starts that epoch
                // with no batch yet, as in Kafka's producer state
                if (header.producerEpoch() != producer.producerEpoch()) {
                    producer.setProducerEpoch(header.producerEpoch()).setLastSequence(NO_SEQUENCE)
                            .setLastTimestamp(NO_TIMESTAMP);
                }
                return;
            }
            producer.setProducerEpoch(header.producerEpoch())
                    .setLastSequence(lastSequence(header.baseSequence(), header.lastOffsetDelta()))
                    .setLastTimestamp(header.maxTimestamp());
        });
        return new ArrayList<>(producers.values());
    }

    /** The sequence of a batch's last record; sequences wrap from Integer.MAX_VALUE to 0. */
    static int lastSequence(int baseSequence, int lastOffsetDelta) {
        long last = (long) baseSequence + lastOffsetDelta;
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }
}
