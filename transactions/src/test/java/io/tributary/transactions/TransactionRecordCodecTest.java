package io.tributary.transactions;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionRecordCodecTest {
    @Test
    void versionOneKeepsTheTransactionVersionAndThePreviousAndNextProducerIds() {
        TransactionMetadata txn = new TransactionMetadata("a", 7, (short) 3, 60_000, 1_000);
        txn.state = TransactionState.PREPARE_COMMIT;
        txn.partitions.add(new TxnPartition("t", 1));
        txn.addOffsets("g", List.of(new PendingOffset("in", 0, 42, -1, "m")));
        txn.version = TransactionVersion.V2;
        txn.previousProducerId = 5;
        txn.nextProducerId = 9;

        TransactionMetadata decoded = TransactionRecordCodec.decode("a", TransactionRecordCodec.encode(txn));

        assertThat(decoded.version).isEqualTo(TransactionVersion.V2);
        assertThat(decoded.previousProducerId).isEqualTo(5);
        assertThat(decoded.nextProducerId).isEqualTo(9);
        assertThat(decoded.describe()).isEqualTo(txn.describe());
        assertThat(decoded.pendingOffsets).isEqualTo(txn.pendingOffsets);
    }

    @Test
    void versionZeroReadsAsTransactionVersionOneWithNoOtherProducerId() {
        TransactionMetadata txn = new TransactionMetadata("a", 7, (short) 3, 60_000, 1_000);
        txn.state = TransactionState.COMPLETE_ABORT;
        ByteBuffer v1 = TransactionRecordCodec.encode(txn);
        ByteBuffer v0 = ByteBuffer.allocate(v1.remaining() - 17).put(v1.duplicate().limit(v1.limit() - 17)).flip();
        v0.putShort(0, (short) 0);

        TransactionMetadata decoded = TransactionRecordCodec.decode("a", v0);

        assertThat(decoded.version).isEqualTo(TransactionVersion.V1);
        assertThat(decoded.previousProducerId).isEqualTo(-1);
        assertThat(decoded.nextProducerId).isEqualTo(-1);
        assertThat(decoded.state).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(decoded.epoch).isEqualTo((short) 3);
    }
}
