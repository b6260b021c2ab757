package io.tributary.transactions.client;

/**
 * The state of a local transaction, as a {@link TransactionListener} reports it. The names are RocketMQ's,
 * {@code UNKNOW} included (sic: RocketMQ's spelling, kept so code written for RocketMQ reads the same).
 */
public enum LocalTransactionState {
    /** The local transaction committed: the half message becomes visible. */
    COMMIT_MESSAGE,
    /** The local transaction rolled back: the half message is dropped. */
    ROLLBACK_MESSAGE,
    /** Not known yet (still running, or the answer was lost): the broker checks again later. */
    UNKNOW
}
