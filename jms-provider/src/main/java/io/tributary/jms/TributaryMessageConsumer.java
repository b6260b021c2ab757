package io.tributary.jms;

import io.tributary.jms.message.TributaryMessage;
import io.tributary.jms.selector.Identifiers;
import io.tributary.jms.selector.Selector;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JMS message consumer: the JMS face (listener, receive, the session's acknowledgement calls) over a
 * {@link MessageReader}. A topic subscriber, durable subscriber or temporary-queue consumer reads with a
 * {@link TopicReader} (a Kafka consumer, positions and delivery counts kept in the client); a queue receiver or
 * shared-subscription consumer with a {@link ShareReader} (a member of the share group, whose broker keeps each
 * record's state and evaluates the selector).
 */
final class TributaryMessageConsumer implements QueueReceiver, TopicSubscriber {
    static final String CONNECTION_HEADER = "jms.connection";
    /** How long a stopped connection's receive waits for a start before it looks at its deadline again. */
    private static final long START_SLICE_MS = 100;

    private final TributarySession session;
    private final TributaryDestination destination;
    private final Selector selector;
    private final boolean noLocal;
    /** A durable subscription's consumer group, or null. */
    private final String group;
    /** What only one consumer of the connection may hold at a time (a durable subscription, a temporary queue). */
    private final String exclusiveKey;
    private final MessageReader reader;
    private volatile MessageListener listener;
    private volatile boolean closed;

    /** A topic subscriber or temporary-queue consumer; {@code group} is non-null for a durable subscription. */
    TributaryMessageConsumer(TributarySession session, TributaryDestination destination, Selector selector,
                             boolean noLocal, String group) throws JMSException {
        this.session = session;
        this.destination = destination;
        this.selector = selector;
        this.noLocal = noLocal;
        this.group = group;
        TributaryConnection connection = session.connection();
        connection.ensureTopic(destination.name());
        boolean temporaryQueue = destination instanceof TributaryTemporaryQueue;
        this.exclusiveKey = group != null ? "group:" + group : temporaryQueue ? destination.address() : null;
        if (exclusiveKey != null) {
            connection.claim(exclusiveKey, this, group != null ? "durable subscription " + group : destination.toString());
        }
        try {
            this.reader = new TopicReader(connection, destination, selector, noLocal, group);
        } catch (JMSException | RuntimeException e) {
            if (exclusiveKey != null) {
                connection.release(exclusiveKey, this);
            }
            throw e;
        }
    }

    /**
     * A queue receiver or shared-subscription consumer: one member of share group {@code shareGroup} (see
     * {@link ShareReader#ShareReader}).
     */
    TributaryMessageConsumer(TributarySession session, TributaryDestination destination, String shareGroup,
                             Selector selector, String offsetReset, boolean deleteGroupOnClose) throws JMSException {
        this.session = session;
        this.destination = destination;
        this.selector = selector;
        this.noLocal = false;
        this.group = null;
        this.exclusiveKey = null;
        this.reader = new ShareReader(session.connection(), destination, shareGroup, selector, offsetReset,
                deleteGroupOnClose, session.settlesOnDelivery() ? 1 : 0);
    }

    TributaryDestination destination() {
        return destination;
    }

    String group() {
        return group;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the consumer is closed");
        }
        session.checkOpen();
    }

    /** The selector's text, or null for none. */
    String selectorText() {
        return selector.selectsAll() ? null : selector.toString();
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selectorText();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        this.listener = listener;
        session.listenerChanged();
    }

    MessageListener listener() {
        return listener;
    }

    @Override
    public Message receive() throws JMSException {
        return receive(0);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("receive() on a consumer that has a MessageListener");
        }
        long deadline = timeout == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        try {
            while (!closed) {
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE
                        : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!session.connection().started()) {
                    if (left <= 0) {
                        return null;
                    }
                    session.connection().awaitStarted(Math.min(left, START_SLICE_MS));
                    continue;
                }
                TributaryMessage m = next(Math.max(0, Math.min(left, reader.pollSliceMs())));
                if (m != null) {
                    session.delivered(this);
                    return m;
                }
                if (left <= 0) {
                    return null;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("receiveNoWait() on a consumer that has a MessageListener");
        }
        if (!session.connection().started()) {
            return null;
        }
        TributaryMessage m = received(reader.nextNoWait());
        if (m != null) {
            session.delivered(this);
        }
        return m;
    }

    /** The next deliverable message, polling the broker at most once for up to {@code pollMs}; {@code null} if none. */
    TributaryMessage next(long pollMs) throws JMSException {
        return received(reader.next(pollMs));
    }

    private TributaryMessage received(TributaryMessage m) {
        if (m != null) {
            m.received(session::acknowledgeFromMessage);
        }
        return m;
    }

    static Identifiers identifiers(TributaryMessage m) {
        return name -> switch (name) {
            case "JMSDeliveryMode" -> m.getJMSDeliveryMode() == DeliveryMode.PERSISTENT ? "PERSISTENT" : "NON_PERSISTENT";
            case "JMSPriority" -> m.getJMSPriority();
            case "JMSMessageID" -> m.getJMSMessageID();
            case "JMSTimestamp" -> m.getJMSTimestamp();
            case "JMSCorrelationID" -> m.getJMSCorrelationID();
            case "JMSType" -> m.getJMSType();
            default -> m.getObjectProperty(name);
        };
    }

    /**
     * Everything delivered so far is acknowledged: a durable subscription commits its position, a share group's
     * records are accepted ({@code sync} waits for the broker).
     */
    void acknowledgeDelivered(boolean sync) throws JMSException {
        reader.acknowledgeDelivered(sync);
    }

    /** See {@link MessageReader#offsetsToTransaction}. */
    void offsetsToTransaction(SessionTransaction transaction) throws JMSException {
        reader.offsetsToTransaction(transaction);
    }

    /**
     * A transacted session's commit, after the Kafka transaction committed: what was delivered is acknowledged
     * (a share group's records accepted, waiting for the broker; a topic position moved on, committed already).
     */
    void transactionCommitted() throws JMSException {
        reader.transactionCommitted();
    }

    /** Unacknowledged messages are delivered again (JMSRedelivered, a higher JMSXDeliveryCount). */
    void recover() throws JMSException {
        reader.recover();
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (reader instanceof ShareReader) {
            // a listener running now finishes (and its message is acknowledged) before the consumer closes
            session.awaitListenerIdle();
        }
        closed = true;
        try {
            reader.close();
        } finally {
            if (exclusiveKey != null) {
                session.connection().release(exclusiveKey, this);
            }
            session.consumerClosed(this);
        }
    }

    /** The share group of a queue receiver or shared-subscription consumer, else null. */
    String shareGroup() {
        return reader instanceof ShareReader share ? share.group() : null;
    }

    /**
     * A topic or temporary-queue consumer's position after what its session acknowledged, per partition (where a
     * temporary queue's browser starts); empty for a share-group consumer.
     */
    Map<TopicPartition, Long> acknowledgedPositions() {
        return reader instanceof TopicReader topic ? topic.acknowledged() : Map.of();
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        if (destination instanceof Topic t) {
            return t;
        }
        throw new IllegalStateException("this consumer reads a queue");
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return noLocal;
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        if (destination instanceof Queue q) {
            return q;
        }
        throw new IllegalStateException("this consumer reads a topic");
    }
}
