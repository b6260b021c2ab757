package io.tributary.transactions;

/** Why a coordinator call failed; each is the Kafka error of the same name. */
public enum TxnError {
    NONE,
    /** The epoch is older than the transactional id's: a newer producer instance took over. */
    PRODUCER_FENCED,
    /** The epoch does not match in a way that is not fencing (clients before PRODUCER_FENCED existed get this). */
    INVALID_PRODUCER_EPOCH,
    /** The producer id is not the one of the transactional id (or the id is unknown). */
    INVALID_PRODUCER_ID_MAPPING,
    /** The call does not fit the transaction's state (e.g. commit after abort). */
    INVALID_TXN_STATE,
    /**
     * A transactional batch for a partition its open transaction has not added (Kafka's verification answer;
     * Produce before v11 gets INVALID_TXN_STATE instead). The producer aborts and goes on.
     */
    TRANSACTION_ABORTABLE,
    /** Markers of the previous transaction are still being written; retry. */
    CONCURRENT_TRANSACTIONS,
    /** The requested timeout exceeds {@code transaction.max.timeout.ms} or is not positive. */
    INVALID_TRANSACTION_TIMEOUT,
    UNKNOWN_TOPIC_OR_PARTITION,
    /** Not attempted because another partition of the same request failed. */
    OPERATION_NOT_ATTEMPTED,
    /** The coordinator is closing. */
    COORDINATOR_NOT_AVAILABLE,
    /** A marker could not be written (storage failure). */
    UNKNOWN_SERVER_ERROR
}
