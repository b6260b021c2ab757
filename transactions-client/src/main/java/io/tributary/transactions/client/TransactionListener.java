package io.tributary.transactions.client;

/**
 * The application's side of a half transaction, in RocketMQ's shape. An exception thrown by either method
 * counts as {@link LocalTransactionState#UNKNOW}.
 */
public interface TransactionListener {
    /**
     * Runs the local transaction after the half message was stored; called on the thread that called
     * {@link TransactionProducer#sendMessageInTransaction}.
     *
     * @param arg what the caller passed to {@code sendMessageInTransaction}
     */
    LocalTransactionState executeLocalTransaction(Message message, Object arg);

    /**
     * Answers the broker's check of a transaction that is still undecided (the decision was UNKNOW, was lost,
     * or the producer that sent it is gone); called on the producer's check thread, for any transaction of
     * the producer group, also those another instance sent.
     */
    LocalTransactionState checkLocalTransaction(MessageView message);
}
