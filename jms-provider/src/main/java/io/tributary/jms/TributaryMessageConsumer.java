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
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A JMS message consumer: the JMS face (listener, receive, the session's acknowledgement calls) over one of two
 * ways of reading. A topic subscriber, durable subscriber or temporary-queue consumer reads with a
 * {@link TopicReader} (a Kafka consumer and positions kept in the client). A queue receiver or shared-subscription
 * consumer is instead a member of the share group (see {@link ShareGroups}) through a {@link ShareReceiver}: the
 * broker hands each record to one member; the session's acknowledgement accepts the records delivered,
 * {@link #recover} releases them (the broker delivers them again, to this or another member, with a higher delivery
 * count). Its selector is evaluated by the broker ({@link #shareClientId}); the consumer only checks that the
 * broker did.
 */
final class TributaryMessageConsumer implements QueueReceiver, TopicSubscriber {
    private static final System.Logger LOG = System.getLogger(TributaryMessageConsumer.class.getName());
    static final String CONNECTION_HEADER = "jms.connection";
    private static final long POLL_SLICE_MS = 100;
    /**
     * A share consumer's poll asks for a fetch each time it finds nothing buffered; fewer, longer polls leave fewer
     * fetches armed behind records already arriving (see {@link ShareReceiver}).
     */
    private static final long SHARE_POLL_SLICE_MS = 500;
    private static final Selector SELECT_ALL;

    static {
        try {
            SELECT_ALL = Selector.parse(null);
        } catch (io.tributary.jms.selector.SelectorSyntaxException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Starts the selector part of a queue receiver's client id (kafka-protocol {@code MemberSelectors}). */
    static final String QUEUE_SELECTOR = "#selector=";
    /** Starts the selector part of a shared-subscription consumer's client id. */
    static final String SUBSCRIPTION_SELECTOR = "#subscription-selector=";
    /** The request header's client id is a string of at most 32767 bytes; this leaves room for the rest. */
    private static final int MAX_ENCODED_SELECTOR = 16_384;

    private final TributarySession session;
    private final TributaryDestination destination;
    private final Selector selector;
    private final boolean noLocal;
    private final String group;
    private final String exclusiveKey;
    /** Topic mode: the Kafka consumer and the positions it delivered and acknowledged. */
    private final TopicReader topic;
    /** Share mode: the share group and this receiver's members of it, with what they fetched and delivered. */
    private final String shareGroup;
    private final boolean deleteGroupOnClose;
    private final ShareReceiver share;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile MessageListener listener;
    private volatile boolean closed;

    /** A subscriber or receiver; {@code group} is non-null for a durable subscription. */
    TributaryMessageConsumer(TributarySession session, TributaryDestination destination, Selector selector,
                             boolean noLocal, String group) throws JMSException {
        this.session = session;
        this.destination = destination;
        this.selector = selector;
        this.noLocal = noLocal;
        this.group = group;
        this.shareGroup = null;
        this.deleteGroupOnClose = false;
        this.share = null;
        TributaryConnection connection = session.connection();
        connection.ensureTopic(destination.name());
        boolean temporaryQueue = destination instanceof TributaryTemporaryQueue;
        this.exclusiveKey = group != null ? "group:" + group : temporaryQueue ? destination.address() : null;
        if (exclusiveKey != null) {
            connection.claim(exclusiveKey, this, group != null ? "durable subscription " + group : destination.toString());
        }
        try {
            this.topic = new TopicReader(connection, destination, selector, noLocal, group);
        } catch (JMSException | RuntimeException e) {
            if (exclusiveKey != null) {
                connection.release(exclusiveKey, this);
            }
            throw e;
        }
    }

    /**
     * A queue receiver or shared-subscription consumer: one member of share group {@code shareGroup}, whose
     * {@code share.auto.offset.reset} is set to {@code offsetReset} first; {@code deleteGroupOnClose} for a shared
     * non-durable subscription (deleted when its last consumer closes). A {@code selector} is evaluated by the
     * broker, which acquires for this member only the records it selects ({@link #shareClientId}).
     */
    TributaryMessageConsumer(TributarySession session, TributaryDestination destination, String shareGroup,
                             Selector selector, String offsetReset, boolean deleteGroupOnClose) throws JMSException {
        this.session = session;
        this.destination = destination;
        this.selector = selector;
        String clientId = shareClientId(session.connection(), destination, selector);
        this.noLocal = false;
        this.group = null;
        this.exclusiveKey = null;
        this.topic = null;
        this.shareGroup = shareGroup;
        this.deleteGroupOnClose = deleteGroupOnClose;
        TributaryConnection connection = session.connection();
        connection.ensureTopic(destination.name());
        boolean subscription = destination instanceof jakarta.jms.Topic;
        if (subscription) {
            SharedSubscriptions.open(connection, shareGroup, destination.name(), selectorText());
        }
        ShareGroups.offsetReset(connection, shareGroup, offsetReset);
        if (destination instanceof jakarta.jms.Topic) {
            ShareGroups.startAtEndIfNew(connection, shareGroup, destination.name());
        }
        ShareReceiver receiver;
        try {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.options().bootstrapServers());
            config.putAll(connection.options().kafkaClientConfig());
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, shareGroup);
            config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
            config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    (int) Math.min(connection.options().sendTimeoutMs(), Integer.MAX_VALUE));
            receiver = new ShareReceiver(() -> {
                KafkaShareConsumer<byte[], byte[]> kafka =
                        new KafkaShareConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                try {
                    kafka.subscribe(List.of(destination.name()));
                } catch (RuntimeException e) {
                    kafka.close(Duration.ZERO);
                    throw e;
                }
                return kafka;
            }, session.settlesOnDelivery() ? 1 : 0);
        } catch (RuntimeException e) {
            throw Errors.cause("cannot consume from " + destination, e);
        }
        this.share = receiver;
        if (deleteGroupOnClose) {
            ShareGroups.nonDurableOpened(shareGroup);
        }
        if (subscription) {
            joinSubscription(connection, clientId);
        }
    }

    /**
     * A shared-subscription consumer joins its share group now, so that a consumer created next (in any connection)
     * sees this one's topic and selector, and then records them as the subscription's definition. The broker refuses
     * the join if the group's members consume another topic or selector (INCONSISTENT_GROUP_PROTOCOL): of two
     * consumers created at once with different definitions, one fails here (decision 0035).
     */
    private void joinSubscription(TributaryConnection connection, String clientId) throws JMSException {
        try {
            SharedSubscriptions.awaitMember(connection, shareGroup, clientId, share::join);
        } catch (InconsistentGroupProtocolException e) {
            abandon();
            throw SharedSubscriptions.refused(shareGroup, destination.name(), selectorText(), e);
        } catch (JMSException e) {
            abandon();
            throw e;
        } catch (RuntimeException e) {
            abandon();
            throw Errors.cause("cannot consume from " + destination, e);
        }
        SharedSubscriptions.record(connection, shareGroup, destination.name(), selectorText());
    }

    /** Undoes a shared-subscription consumer's creation that failed after its share consumer was made. */
    private void abandon() {
        closed = true;
        try {
            share.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a refused share consumer of " + shareGroup + ": " + e);
        }
        if (deleteGroupOnClose) {
            ShareGroups.nonDurableClosed(shareGroup);
        }
    }

    /**
     * A share consumer's client id: {@code jms-consumer-<connection uuid>}, followed for a selector by
     * {@value #QUEUE_SELECTOR} (a queue receiver: what the selector refuses stays for the other receivers) or
     * {@value #SUBSCRIPTION_SELECTOR} (a shared subscription: what it refuses is not part of the subscription) and
     * the selector's text percent-encoded ({@value #SUBSCRIPTION_SELECTOR} alone for a shared subscription without
     * one). A Tributary broker then acquires for this member only the records the selector accepts, and lets a
     * subscription's member join only with its current members' topic and selector (docs/protocol.md); a Kafka
     * broker takes the client id as a name.
     */
    static String shareClientId(TributaryConnection connection, TributaryDestination destination, Selector selector)
            throws JMSException {
        String clientId = "jms-consumer-" + connection.id();
        boolean queue = destination instanceof Queue;
        if (selector.selectsAll()) {
            // a subscription says so even without a selector: the broker compares its members' definitions
            return queue ? clientId : clientId + SUBSCRIPTION_SELECTOR;
        }
        String encoded = URLEncoder.encode(selector.toString(), StandardCharsets.UTF_8);
        if (encoded.length() > MAX_ENCODED_SELECTOR) {
            throw new JMSException("a message selector on a queue or shared subscription is sent to the broker in"
                    + " the client id and may take at most " + MAX_ENCODED_SELECTOR + " characters URL-encoded; this"
                    + " one takes " + encoded.length());
        }
        return clientId + (queue ? QUEUE_SELECTOR : SUBSCRIPTION_SELECTOR) + encoded;
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
        return selector.selectsAll() ? null : selector.toString();
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
                    session.connection().awaitStarted(Math.min(left, POLL_SLICE_MS));
                    continue;
                }
                long slice = share != null ? SHARE_POLL_SLICE_MS : POLL_SLICE_MS;
                TributaryMessage m = next(Math.max(0, Math.min(left, slice)));
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
        // a share receiver no fetch has answered yet asks the broker once (ShareReceiver#nextAfterFirstFetch)
        TributaryMessage m = share != null ? nextShared(0, true) : next(0);
        if (m != null) {
            session.delivered(this);
        }
        return m;
    }

    /** The next deliverable message, polling the broker at most once for up to {@code pollMs}; {@code null} if none. */
    TributaryMessage next(long pollMs) throws JMSException {
        if (share != null) {
            return nextShared(pollMs, false);
        }
        TributaryMessage m = topic.next(pollMs);
        if (m != null) {
            m.received(session::acknowledgeFromMessage);
        }
        return m;
    }

    /**
     * The next message of the share group, polling at most once for up to {@code pollMs}; with
     * {@code firstFetch}, waiting instead for the receiver's first fetch to be answered if none has been.
     */
    private TributaryMessage nextShared(long pollMs, boolean firstFetch) throws JMSException {
        lock.lock();
        try {
            // one poll at most: expired records are skipped within what it fetched
            long slice = pollMs;
            while (!closed) {
                ConsumerRecord<byte[], byte[]> record = firstFetch
                        ? share.nextAfterFirstFetch(session.connection().options().sendTimeoutMs())
                        : share.next(slice);
                firstFetch = false;
                if (record == null) {
                    return null;
                }
                slice = 0;
                TributaryMessage m = MessageCodec.message(record, destination);
                if (m.getJMSExpiration() != 0 && m.getJMSExpiration() <= System.currentTimeMillis()) {
                    share.reject(record);
                    continue;
                }
                int count = record.deliveryCount().map(Short::intValue).orElse(1);
                m.putReceivedProperty(MessageCodec.DELIVERY_COUNT, count);
                if (!selector.matches(identifiers(m))) {
                    // the broker selects for this member: one that does not (a Kafka broker) hands out everything
                    share.release(record);
                    throw new JMSException("the broker handed " + destination + " a message its selector \""
                            + selector + "\" does not select (released): it does not evaluate message selectors for"
                            + " queues and shared subscriptions; a Tributary broker does");
                }
                m.setJMSRedelivered(count > 1);
                m.received(session::acknowledgeFromMessage);
                return m;
            }
            return null;
        } catch (WakeupException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            throw Errors.cause("cannot receive from " + destination, e);
        } finally {
            lock.unlock();
        }
    }

    /** Share mode: acknowledges the delivered records with {@code type}; {@code sync} waits for the broker. */
    private void acknowledgeShared(AcknowledgeType type, boolean sync) throws JMSException {
        lock.lock();
        try {
            if (closed || !share.holdsDelivered()) {
                return;
            }
            share.settle(type, sync);
        } catch (RuntimeException e) {
            throw Errors.cause("cannot acknowledge on " + destination, e);
        } finally {
            lock.unlock();
        }
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

    /** Everything delivered so far is acknowledged; a durable subscription commits it ({@code sync} waits). */
    void acknowledgeDelivered(boolean sync) throws JMSException {
        if (share != null) {
            acknowledgeShared(AcknowledgeType.ACCEPT, sync);
            return;
        }
        topic.acknowledgeDelivered(sync);
    }

    /**
     * A transacted session's commit, before the Kafka transaction commits: a durable subscription adds the
     * positions after what it delivered to the transaction (TxnOffsetCommit), so they commit with the sends.
     */
    void offsetsToTransaction(SessionTransaction transaction) throws JMSException {
        if (topic != null) {
            topic.offsetsToTransaction(transaction);
        }
    }

    /**
     * A transacted session's commit, after the Kafka transaction committed: what was delivered is acknowledged
     * (a share group's records accepted, waiting for the broker; a topic position moved on, committed already).
     */
    void transactionCommitted() throws JMSException {
        if (share != null) {
            acknowledgeShared(AcknowledgeType.ACCEPT, true);
            return;
        }
        topic.transactionCommitted();
    }

    /** Unacknowledged messages are delivered again, from the acknowledged position of each partition. */
    void recover() throws JMSException {
        if (share != null) {
            // released records come again after those this consumer already fetched
            acknowledgeShared(AcknowledgeType.RELEASE, true);
            return;
        }
        topic.recover();
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (share != null) {
            // a listener running now finishes (and its message is acknowledged) before the consumer closes
            session.awaitListenerIdle();
            closed = true;
            closeShared();
            return;
        }
        closed = true;
        try {
            topic.close();
        } finally {
            if (exclusiveKey != null) {
                session.connection().release(exclusiveKey, this);
            }
            session.consumerClosed(this);
        }
    }

    private void closeShared() throws JMSException {
        share.wakeup();
        lock.lock();
        try {
            // what was fetched and not acknowledged goes back to the share group now, not when its lock expires
            share.close(Duration.ofMillis(session.connection().options().sendTimeoutMs()));
        } catch (RuntimeException e) {
            throw Errors.cause("error closing the consumer of " + destination, e);
        } finally {
            lock.unlock();
            session.consumerClosed(this);
        }
        if (deleteGroupOnClose && ShareGroups.nonDurableClosed(shareGroup)) {
            try {
                ShareGroups.delete(session.connection(), shareGroup);
            } catch (JMSException e) {
                // other consumers still share the subscription: it stays
            }
        }
    }

    String shareGroup() {
        return shareGroup;
    }

    /**
     * A topic or temporary-queue consumer's position after what its session acknowledged, per partition (where a
     * temporary queue's browser starts); empty for a share-group consumer.
     */
    Map<TopicPartition, Long> acknowledgedPositions() {
        return topic == null ? Map.of() : topic.acknowledged();
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
