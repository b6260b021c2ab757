package io.tributary.pipeline.internal;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchHeader;
import io.tributary.pipeline.MarkerType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a partition's {@link PartitionTransactions} at start from its stored batches: every
 * transactional batch header from the log start, and the first record of each marker (whose key
 * says commit or abort). So the last stable offset and the aborted transactions are as before a
 * restart or a crash, without a file of their own. The cost is one header scan of the partition
 * (the producer-state snapshot does not cover transactions).
 */
final class TransactionStateLoader {
    private static final int MARKER_READ_BYTES = ControlBatch.SIZE + 64;

    private TransactionStateLoader() {
    }

    static PartitionTransactions load(PartitionLog partition) throws IOException {
        PartitionTransactions txns = new PartitionTransactions(partition);
        List<long[]> seen = new ArrayList<>();
        partition.scanBatches(partition.logStartOffset(), header -> {
            if (header.isTransactional()) {
                seen.add(new long[] {header.producerId(), header.baseOffset(), header.producerEpoch(),
                        header.isControl() ? 1 : 0});
            }
        });
        for (long[] batch : seen) {
            long producerId = batch[0];
            long offset = batch[1];
            if (batch[3] == 0) {
                txns.open(producerId, offset);
                continue;
            }
            long first = txns.closeInSequence(producerId, (short) batch[2]);
            MarkerType type = markerType(partition, offset);
            if (type != null) {
                txns.complete(producerId, first, offset, type);
            }
        }
        return txns;
    }

    private static MarkerType markerType(PartitionLog partition, long offset) throws IOException {
        LogSlice slice = partition.read(offset, MARKER_READ_BYTES, partition.logEndOffset(), true);
        if (slice.isEmpty()) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.min(slice.size(), MARKER_READ_BYTES));
        while (bytes.hasRemaining()) {
            if (slice.channel().read(bytes, slice.position() + bytes.position()) < 0) {
                break;
            }
        }
        bytes.flip();
        if (bytes.remaining() < RecordBatchHeader.HEADER_SIZE) {
            return null;
        }
        return ControlBatch.typeOf(bytes, 0);
    }
}
