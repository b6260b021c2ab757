package io.tributary.jms;

import io.tributary.jms.message.TributaryBytesMessage;
import io.tributary.jms.message.TributaryMapMessage;
import io.tributary.jms.message.TributaryMessage;
import io.tributary.jms.message.TributaryObjectMessage;
import io.tributary.jms.message.TributaryStreamMessage;
import io.tributary.jms.message.TributaryTextMessage;
import io.tributary.jms.selector.Selector;
import io.tributary.jms.selector.SelectorSyntaxException;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A JMS session: a message factory, its producers and consumers, and the session-wide acknowledgement. Message
 * listeners run on the session's one delivery thread (serially, as the specification requires);
 * CompletionListeners on its one completion thread, in send order.
 */
public final class TributarySession implements QueueSession, TopicSession {
    private static final System.Logger LOG = System.getLogger(TributarySession.class.getName());
    /** Deliveries of one message to a failing AUTO_ACKNOWLEDGE listener before it is skipped. */
    static final int MAX_LISTENER_DELIVERIES = 10;

    private final TributaryConnection connection;
    private final int acknowledgeMode;
    /** The Kafka transaction of a transacted session; {@code null} otherwise. */
    private final SessionTransaction transaction;
    private final ReentrantLock transactionLock = new ReentrantLock();
    private final List<TributaryMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<TributaryMessageProducer> producers = new CopyOnWriteArrayList<>();
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final Object listenerSignal = new Object();
    private volatile boolean closed;
    private volatile Thread dispatcher;
    private volatile ExecutorService completions;
    private MessageListener sessionListener;

    TributarySession(TributaryConnection connection, int acknowledgeMode) {
        this.connection = connection;
        this.acknowledgeMode = acknowledgeMode;
        this.transaction = acknowledgeMode == Session.SESSION_TRANSACTED ? new SessionTransaction(connection) : null;
    }

    TributaryConnection connection() {
        return connection;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        connection.checkOpen();
    }

    // ---- messages

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new TributaryBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new TributaryMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new TributaryMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new TributaryObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        ObjectMessage m = createObjectMessage();
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new TributaryStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new TributaryTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        TextMessage m = createTextMessage();
        m.setText(text);
        return m;
    }

    // ---- transactions and acknowledgement

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return transaction != null;
    }

    boolean transacted() {
        return transaction != null;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return acknowledgeMode;
    }

    /**
     * Commits the session's transaction: the durable subscriptions' positions join the Kafka transaction of the
     * sends, which is committed; then the queue and shared-subscription messages received are accepted (share
     * acknowledgements cannot join a Kafka transaction: a crash between the two redelivers those messages, see
     * docs/jms.md), and the non-durable subscribers' positions move on. A failed Kafka commit rolls everything
     * back and throws {@link jakarta.jms.TransactionRolledBackException}.
     */
    @Override
    public void commit() throws JMSException {
        checkOpen();
        if (transaction == null) {
            throw new IllegalStateException("commit() on a session that is not transacted");
        }
        transactionLock.lock();
        try {
            try {
                for (TributaryMessageConsumer c : consumers) {
                    c.offsetsToTransaction(transaction);
                }
                transaction.commit();
            } catch (JMSException e) {
                rollbackConsumers(e);
                throw e;
            }
            JMSException failure = null;
            for (TributaryMessageConsumer c : consumers) {
                try {
                    c.transactionCommitted();
                } catch (JMSException e) {
                    if (failure == null) {
                        failure = new JMSException("the transaction's sends and topic positions are committed, but"
                                + " acknowledging the messages received from a queue failed (they will be delivered"
                                + " again): " + e.getMessage());
                        failure.initCause(e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            transactionLock.unlock();
        }
    }

    /** Rolls the session's transaction back: its sends are discarded, its received messages delivered again. */
    @Override
    public void rollback() throws JMSException {
        checkOpen();
        if (transaction == null) {
            throw new IllegalStateException("rollback() on a session that is not transacted");
        }
        transactionLock.lock();
        try {
            JMSException abortFailure = null;
            try {
                transaction.abort();
            } catch (JMSException e) {
                abortFailure = e;
            }
            rollbackConsumers(abortFailure);
            if (abortFailure != null) {
                throw abortFailure;
            }
        } finally {
            transactionLock.unlock();
        }
    }

    private void rollbackConsumers(JMSException pending) throws JMSException {
        for (TributaryMessageConsumer c : consumers) {
            try {
                c.recover();
            } catch (JMSException e) {
                if (pending == null) {
                    throw e;
                }
                pending.addSuppressed(e);
            }
        }
    }

    /** Sends {@code record} in the session's transaction, or through the connection's producer when not transacted. */
    void send(org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record,
              org.apache.kafka.clients.producer.Callback callback, boolean persistent) throws JMSException {
        if (transaction == null) {
            connection.send(record, callback, persistent);
            return;
        }
        transactionLock.lock();
        try {
            transaction.send(record, callback);
        } finally {
            transactionLock.unlock();
        }
    }

    /** Whether a message is acknowledged as soon as it is handed to the application (AUTO, DUPS_OK). */
    boolean settlesOnDelivery() {
        return acknowledgeMode == Session.AUTO_ACKNOWLEDGE || acknowledgeMode == Session.DUPS_OK_ACKNOWLEDGE;
    }

    /** A received message's {@code acknowledge()}: acknowledges every message the session delivered (CLIENT). */
    void acknowledgeFromMessage() throws JMSException {
        checkOpen();
        // in a transacted session commit() acknowledges; Message.acknowledge() is ignored
        if (acknowledgeMode == Session.CLIENT_ACKNOWLEDGE) {
            for (TributaryMessageConsumer c : consumers) {
                c.acknowledgeDelivered(true);
            }
        }
    }

    /**
     * A message was handed to the application: AUTO and DUPS_OK acknowledge it now. AUTO waits for the broker on a
     * topic (a durable subscription's offset commit); on a queue or shared subscription it sends the accept
     * without waiting for the answer, as Artemis does by default ({@code blockOnAcknowledge=false}).
     */
    void delivered(TributaryMessageConsumer consumer) throws JMSException {
        if (acknowledgeMode == Session.AUTO_ACKNOWLEDGE || acknowledgeMode == Session.DUPS_OK_ACKNOWLEDGE) {
            consumer.acknowledgeDelivered(acknowledgeMode == Session.AUTO_ACKNOWLEDGE && consumer.shareGroup() == null);
        }
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (transaction != null) {
            throw new IllegalStateException("recover() on a transacted session: use rollback()");
        }
        for (TributaryMessageConsumer c : consumers) {
            c.recover();
        }
    }

    // ---- listeners

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return sessionListener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw new JMSException("session message listeners (application-server facilities) are not supported");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("Session.run (application-server facility) is not supported");
    }

    void listenerChanged() {
        synchronized (this) {
            if (dispatcher == null) {
                Thread t = new Thread(this::dispatch, "tributary-jms-session-" + Integer.toHexString(hashCode()));
                t.setDaemon(true);
                dispatcher = t;
                t.start();
            }
        }
        synchronized (listenerSignal) {
            listenerSignal.notifyAll();
        }
    }

    /** The delivery thread: hands each consumer's messages to its listener while the connection is started. */
    private void dispatch() {
        try {
            while (!closed) {
                if (!connection.started()) {
                    connection.awaitStarted(200);
                    continue;
                }
                List<TributaryMessageConsumer> listening = consumers.stream().filter(c -> c.listener() != null).toList();
                if (listening.isEmpty()) {
                    synchronized (listenerSignal) {
                        listenerSignal.wait(200);
                    }
                    continue;
                }
                long pollMs = listening.size() == 1 ? 200 : 20;
                for (TributaryMessageConsumer c : listening) {
                    deliverOne(c, pollMs);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliverOne(TributaryMessageConsumer consumer, long pollMs) {
        deliveryLock.lock();
        try {
            MessageListener listener = consumer.listener();
            if (closed || listener == null || !connection.started()) {
                return;
            }
            TributaryMessage m = consumer.next(pollMs);
            if (m == null) {
                return;
            }
            try {
                listener.onMessage(m);
            } catch (RuntimeException e) {
                if ((acknowledgeMode == Session.AUTO_ACKNOWLEDGE || acknowledgeMode == Session.DUPS_OK_ACKNOWLEDGE)
                        && m.getIntProperty(MessageCodec.DELIVERY_COUNT) < MAX_LISTENER_DELIVERIES) {
                    LOG.log(System.Logger.Level.WARNING, "MessageListener threw on " + m.getJMSMessageID()
                            + "; it is delivered again: " + e);
                    consumer.recover();
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "MessageListener threw on " + m.getJMSMessageID(), e);
            }
            delivered(consumer);
        } catch (JMSException e) {
            LOG.log(System.Logger.Level.WARNING, "delivery to a MessageListener failed: " + e.getMessage());
        } finally {
            deliveryLock.unlock();
        }
    }

    /** Returns once no listener of this session is running (unless called from a listener itself). */
    void awaitListenerIdle() {
        if (Thread.currentThread() == dispatcher) {
            return;
        }
        deliveryLock.lock();
        deliveryLock.unlock();
    }

    ExecutorService completions() {
        ExecutorService e = completions;
        if (e == null) {
            synchronized (this) {
                if (completions == null) {
                    completions = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "tributary-jms-completion-" + Integer.toHexString(hashCode()));
                        t.setDaemon(true);
                        return t;
                    });
                }
                e = completions;
            }
        }
        return e;
    }

    // ---- producers and consumers

    @Override
    public TributaryMessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        TributaryMessageProducer producer = new TributaryMessageProducer(this, destination(destination, true));
        producers.add(producer);
        return producer;
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public TributaryMessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        checkOpen();
        TributaryDestination d = destination(destination, false);
        Selector selector = selector(messageSelector);
        if (d instanceof TributaryQueue && !(d instanceof TributaryTemporaryQueue)) {
            // a queue keeps what was sent before any receiver existed: its share group starts at the earliest
            return add(new TributaryMessageConsumer(this, d, ShareGroups.queueGroup(d.name()), selector, "earliest",
                    false));
        }
        checkTemporaryOwner(d);
        return add(new TributaryMessageConsumer(this, d, selector, noLocal, null));
    }

    private TributaryMessageConsumer add(TributaryMessageConsumer consumer) {
        consumers.add(consumer);
        return consumer;
    }

    void consumerClosed(TributaryMessageConsumer consumer) {
        consumers.remove(consumer);
    }

    void producerClosed(TributaryMessageProducer producer) {
        producers.remove(producer);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public TributaryMessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName,
                                                         String messageSelector) throws JMSException {
        return shared(topic, sharedSubscriptionName, messageSelector, false);
    }

    /**
     * A consumer of a shared subscription: a member of the subscription's share group. A durable one keeps its
     * messages while no consumer is open; a non-durable one starts at the end and is deleted when its last
     * consumer closes.
     */
    private TributaryMessageConsumer shared(Topic topic, String name, String messageSelector, boolean durable)
            throws JMSException {
        checkOpen();
        TributaryDestination d = destination(topic, false);
        if (durable && d instanceof TributaryTemporaryTopic) {
            throw new InvalidDestinationException("a durable subscription cannot be on a temporary topic");
        }
        checkTemporaryOwner(d);
        Selector selector = selector(messageSelector);
        String group = ShareGroups.sharedGroup(connection.getClientID(), name, durable);
        // its start is set to the topic's end when it is created
        return add(new TributaryMessageConsumer(this, d, group, selector, "latest", !durable));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        return createDurableConsumer(topic, name, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public TributaryMessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector,
                                                          boolean noLocal) throws JMSException {
        checkOpen();
        TributaryDestination d = destination(topic, false);
        if (d instanceof TributaryTemporaryTopic) {
            throw new InvalidDestinationException("a durable subscription cannot be on a temporary topic");
        }
        String group = DurableSubscriptions.group(connection.getClientID(), name);
        return add(new TributaryMessageConsumer(this, d, selector(messageSelector), noLocal, group));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public TributaryMessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        return shared(topic, name, messageSelector, true);
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen();
        // a shared durable subscription (a share group) or an unshared one (a consumer group)
        String shareGroup = ShareGroups.sharedGroup(connection.getClientID(), name, true);
        for (TributaryMessageConsumer c : connection.openShareConsumers()) {
            if (shareGroup.equals(c.shareGroup())) {
                throw new IllegalStateException("shared durable subscription " + name
                        + " has an open consumer; close it first");
            }
        }
        if (ShareGroups.delete(connection, shareGroup)) {
            return;
        }
        if (connection.getClientID() == null) {
            throw ShareGroups.noSuchSubscription(name);
        }
        String group = DurableSubscriptions.group(connection.getClientID(), name);
        if (connection.claimed("group:" + group)) {
            throw new IllegalStateException("durable subscription " + name + " has an open consumer; close it first");
        }
        DurableSubscriptions.unsubscribe(connection, group);
    }

    List<TributaryMessageConsumer> consumers() {
        return consumers;
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkOpen();
        TributaryDestination d = destination(queue, false);
        checkTemporaryOwner(d);
        return new TributaryQueueBrowser(this, (Queue) d, selector(messageSelector));
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen();
        return new TributaryQueue(TributaryDestination.checkName(queueName));
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        return new TributaryTopic(TributaryDestination.checkName(topicName));
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        return connection.createTemporaryQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        return connection.createTemporaryTopic();
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return createConsumer(queue, null, false);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return createConsumer(queue, messageSelector, false);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return createProducer(queue);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return createConsumer(topic, null, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal) throws JMSException {
        return createConsumer(topic, messageSelector, noLocal);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return createProducer(topic);
    }

    private static Selector selector(String text) throws InvalidSelectorException {
        try {
            return Selector.parse(text);
        } catch (SelectorSyntaxException e) {
            InvalidSelectorException invalid = new InvalidSelectorException("invalid message selector \"" + text + "\": "
                    + e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }

    private static TributaryDestination destination(Destination destination, boolean nullAllowed)
            throws InvalidDestinationException {
        if (destination == null) {
            if (nullAllowed) {
                return null;
            }
            throw new InvalidDestinationException("no destination given");
        }
        if (!(destination instanceof TributaryDestination d)) {
            throw new InvalidDestinationException("not a Tributary destination: " + destination.getClass().getName());
        }
        TributaryDestination.checkName(d.name());
        return d;
    }

    private void checkTemporaryOwner(TributaryDestination d) throws JMSException {
        if ((d instanceof TributaryTemporaryQueue || d instanceof TributaryTemporaryTopic)
                && !connection.ownsTemporary(d.name())) {
            throw new InvalidDestinationException(d + " belongs to another connection (or was deleted): only the"
                    + " connection that created a temporary destination may consume from it or browse it");
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != dispatcher) {
            deliveryLock.lock();
        }
        try {
            closed = true;
            // closing a transacted session rolls its transaction back: the consumers release what they hold
            for (TributaryMessageConsumer c : consumers) {
                c.close();
            }
            for (TributaryMessageProducer p : producers) {
                p.close();
            }
            if (transaction != null) {
                transactionLock.lock();
                try {
                    transaction.close();
                } finally {
                    transactionLock.unlock();
                }
            }
        } finally {
            if (deliveryLock.isHeldByCurrentThread()) {
                deliveryLock.unlock();
            }
        }
        synchronized (listenerSignal) {
            listenerSignal.notifyAll();
        }
        ExecutorService e = completions;
        if (e != null) {
            e.shutdown();
            try {
                e.awaitTermination(connection.options().sendTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        connection.sessionClosed(this);
    }
}
