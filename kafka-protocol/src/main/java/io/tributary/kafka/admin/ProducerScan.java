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
 * and max timestamp of its newest data batch. Control batches and batches without a producer id
 * are skipped.
 *
 * <p>Known gap: the pipeline also forgets producers idle longer than the producer-id expiration,
 * counted from their last append; the batch headers do not carry that time, so a producer stays
 * listed here as long as one of its batches is retained.
 */
final class ProducerScan {
    private static final int NO_COORDINATOR_EPOCH = -1;
    private static final long NO_TRANSACTION = -1L;

    private ProducerScan() {
    }

    /**
     * Active producers of {@code partition}, in order of first appearance, each with the first
     * offset of its open transaction from {@code openTransactions} (producer id to offset), else -1.
     */
    static List<ProducerState> scan(PartitionLog partition, Map<Long, Long> openTransactions) throws IOException {
        Map<Long, ProducerState> producers = new LinkedHashMap<>();
        partition.scanBatches(partition.logStartOffset(), header -> {
            if (header.producerId() == RecordBatchHeader.NO_PRODUCER_ID || header.isControl()) {
                return;
            }
            producers.computeIfAbsent(header.producerId(), id -> new ProducerState().setProducerId(id)
                            .setCoordinatorEpoch(NO_COORDINATOR_EPOCH)
                            .setCurrentTxnStartOffset(openTransactions.getOrDefault(id, NO_TRANSACTION)))
                    .setProducerEpoch(header.producerEpoch())
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
