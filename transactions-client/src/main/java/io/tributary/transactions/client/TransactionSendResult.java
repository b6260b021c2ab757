package io.tributary.transactions.client;

/** What {@link TransactionProducer#sendMessageInTransaction} did: where the half message went and how it ended. */
public final class TransactionSendResult {
    private final String transactionId;
    private final String topic;
    private final int partition;
    private final LocalTransactionState localTransactionState;

    TransactionSendResult(String transactionId, String topic, int partition, LocalTransactionState state) {
        this.transactionId = transactionId;
        this.topic = topic;
        this.partition = partition;
        this.localTransactionState = state;
    }

    public String getTransactionId() {
        return transactionId;
    }

    public String getTopic() {
        return topic;
    }

    public int getPartition() {
        return partition;
    }

    /** What the listener's {@code executeLocalTransaction} returned (UNKNOW if it threw). */
    public LocalTransactionState getLocalTransactionState() {
        return localTransactionState;
    }

    @Override
    public String toString() {
        return "TransactionSendResult[" + transactionId + " " + topic + "-" + partition + " " + localTransactionState + "]";
    }
}
