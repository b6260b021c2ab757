package io.tributary.transactions;

/**
 * The states of a transactional id, as Kafka's coordinator names them.
 *
 * <pre>
 *  Empty ──add partitions/offsets──&gt; Ongoing ──EndTxn commit──&gt; PrepareCommit ──markers written──&gt; CompleteCommit
 *    ^                                  │  │                                                            │
 *    │                                  │  └──EndTxn abort / timeout──&gt; PrepareAbort ──markers──&gt; CompleteAbort
 *    │                                  └──InitProducerId of a new instance──&gt; PrepareEpochFence ──markers──┘
 *    └──────────────────────── InitProducerId (epoch bump) ──────────────────────────────────────────┘
 * </pre>
 * Complete states take the next transaction's partitions like Empty. Dead: forgotten after
 * {@code transactional.id.expiration.ms}.
 */
public enum TransactionState {
    EMPTY("Empty"),
    ONGOING("Ongoing"),
    PREPARE_COMMIT("PrepareCommit"),
    PREPARE_ABORT("PrepareAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    COMPLETE_ABORT("CompleteAbort"),
    PREPARE_EPOCH_FENCE("PrepareEpochFence"),
    DEAD("Dead");

    private final String kafkaName;

    TransactionState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka's ListTransactions and DescribeTransactions use. */
    public String kafkaName() {
        return kafkaName;
    }

    /** Markers are being written: the transactional id takes no new work until they are. */
    boolean preparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT || this == PREPARE_EPOCH_FENCE;
    }

    /** No transaction open: the next AddPartitions or AddOffsets starts one. */
    boolean idle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
