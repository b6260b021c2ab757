package io.tributary.jms;

import io.tributary.jms.message.TributaryMessage;
import jakarta.jms.JMSException;

/**
 * How a {@link TributaryMessageConsumer} reads and settles messages: with positions kept in the client
 * ({@link TopicReader}: topic subscribers, durable subscriptions, temporary queues) or as a member of a share group
 * whose broker keeps each record's state ({@link ShareReader}: queue receivers, shared subscriptions). The
 * consumer is the JMS face (listener, receive, session callbacks); a reader knows nothing of sessions.
 */
interface MessageReader {
    /**
     * The next deliverable message, polling the broker at most once for up to {@code pollMs}; {@code null} if none.
     * Its {@code JMSXDeliveryCount} and {@code JMSRedelivered} are set, and it counts as delivered until settled.
     */
    TributaryMessage next(long pollMs) throws JMSException;

    /** The next message without waiting, except for what the reader needs to have asked the broker once. */
    TributaryMessage nextNoWait() throws JMSException;

    /** How long one {@link #next} of a receive loop waits at most. */
    long pollSliceMs();

    /** Everything delivered so far is acknowledged; {@code sync} waits for the broker. */
    void acknowledgeDelivered(boolean sync) throws JMSException;

    /**
     * A transacted session's commit, before the Kafka transaction commits: what must commit with the sends (a
     * durable subscription's positions) is added to {@code transaction}.
     */
    void offsetsToTransaction(SessionTransaction transaction) throws JMSException;

    /** A transacted session's commit, after the Kafka transaction committed: what was delivered is acknowledged. */
    void transactionCommitted() throws JMSException;

    /** What was delivered and not acknowledged is delivered again. */
    void recover() throws JMSException;

    /** Closes the reader; what it holds unacknowledged comes again (to the next reader). */
    void close() throws JMSException;
}
