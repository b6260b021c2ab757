package io.tributary.jms;

import io.tributary.jms.message.TributaryMessage;
import io.tributary.jms.selector.Selector;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reading half of a queue receiver or shared-subscription consumer: members of the share group (see
 * {@link ShareGroups}) through a {@link ShareReceiver}, in explicit acknowledgement mode. The broker hands each
 * record to one member and keeps its delivery count; acknowledging accepts the records delivered, {@link #recover}
 * releases them (the broker delivers them again, to this or another member, with a higher delivery count). The
 * selector is evaluated by the broker ({@link #clientId}); the reader only checks that the broker did.
 *
 * <p>Thread-safe: every call takes the reader's lock; {@link #close} wakes a poll holding it. Acknowledgements that
 * AUTO_ACKNOWLEDGE and DUPS_OK hold back to batch them are sent by the next receive, or else by the connection's
 * timer ({@link #flushHeldBack}) once they are due, so an application that stops receiving without closing does
 * not get them again.
 */
final class ShareReader implements MessageReader {
    private static final System.Logger LOG = System.getLogger(ShareReader.class.getName());
    /**
     * A share consumer's poll asks for a fetch each time it finds nothing buffered; fewer, longer polls leave fewer
     * fetches armed behind records already arriving (see {@link ShareReceiver}).
     */
    private static final long POLL_SLICE_MS = 500;
    /** Starts the selector part of a queue receiver's client id (kafka-protocol {@code MemberSelectors}). */
    static final String QUEUE_SELECTOR = "#selector=";
    /** Starts the selector part of a shared-subscription consumer's client id. */
    static final String SUBSCRIPTION_SELECTOR = "#subscription-selector=";
    /** The request header's client id is a string of at most 32767 bytes; this leaves room for the rest. */
    private static final int MAX_ENCODED_SELECTOR = 16_384;

    private final TributaryConnection connection;
    private final TributaryDestination destination;
    private final Selector selector;
    private final String group;
    private final boolean deleteGroupOnClose;
    private final ShareReceiver share;
    private final ReentrantLock lock = new ReentrantLock();
    /** The connection's timer will send held-back acknowledgements ({@link #flushHeldBack}). */
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * A member of share group {@code group}, whose {@code share.auto.offset.reset} is set to {@code offsetReset}
     * first; {@code deleteGroupOnClose} for a shared non-durable subscription (deleted when its last consumer
     * closes). A shared-subscription consumer is checked against the subscription's definition and has joined the
     * group when this returns.
     *
     * @param ahead see {@link ShareReceiver#ShareReceiver}
     */
    ShareReader(TributaryConnection connection, TributaryDestination destination, String group, Selector selector,
                String offsetReset, boolean deleteGroupOnClose, int ahead) throws JMSException {
        this.connection = connection;
        this.destination = destination;
        this.selector = selector;
        this.group = group;
        this.deleteGroupOnClose = deleteGroupOnClose;
        String clientId = clientId(connection, destination, selector);
        connection.ensureTopic(destination.name());
        boolean subscription = destination instanceof jakarta.jms.Topic;
        if (subscription) {
            SharedSubscriptions.open(connection, group, destination.name(), selectorText());
        }
        ShareGroups.offsetReset(connection, group, offsetReset);
        if (subscription) {
            ShareGroups.startAtEndIfNew(connection, group, destination.name());
        }
        try {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.options().bootstrapServers());
            config.putAll(connection.options().kafkaClientConfig());
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
            config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    (int) Math.min(connection.options().sendTimeoutMs(), Integer.MAX_VALUE));
            this.share = new ShareReceiver(() -> {
                KafkaShareConsumer<byte[], byte[]> kafka =
                        new KafkaShareConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                try {
                    kafka.subscribe(List.of(destination.name()));
                } catch (RuntimeException e) {
                    kafka.close(Duration.ZERO);
                    throw e;
                }
                return kafka;
            }, ahead);
        } catch (RuntimeException e) {
            throw Errors.cause("cannot consume from " + destination, e);
        }
        if (deleteGroupOnClose) {
            ShareGroups.nonDurableOpened(group);
        }
        if (subscription) {
            joinSubscription(clientId);
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
    static String clientId(TributaryConnection connection, TributaryDestination destination, Selector selector)
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

    /**
     * A shared-subscription consumer joins its share group now, so that a consumer created next (in any connection)
     * sees this one's topic and selector, and then records them as the subscription's definition. The broker refuses
     * the join if the group's members consume another topic or selector (INCONSISTENT_GROUP_PROTOCOL): of two
     * consumers created at once with different definitions, one fails here (decision 0035).
     */
    private void joinSubscription(String clientId) throws JMSException {
        try {
            SharedSubscriptions.awaitMember(connection, group, clientId, share::join);
        } catch (InconsistentGroupProtocolException e) {
            abandon();
            throw SharedSubscriptions.refused(group, destination.name(), selectorText(), e);
        } catch (JMSException e) {
            abandon();
            throw e;
        } catch (RuntimeException e) {
            abandon();
            throw Errors.cause("cannot consume from " + destination, e);
        }
        SharedSubscriptions.record(connection, group, destination.name(), selectorText());
    }

    /** Undoes a creation that failed after the share consumer was made. */
    private void abandon() {
        closed = true;
        try {
            share.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a refused share consumer of " + group + ": " + e);
        }
        if (deleteGroupOnClose) {
            ShareGroups.nonDurableClosed(group);
        }
    }

    String group() {
        return group;
    }

    private String selectorText() {
        return selector.selectsAll() ? null : selector.toString();
    }

    @Override
    public TributaryMessage next(long pollMs) throws JMSException {
        return next(pollMs, false);
    }

    /** A receiver no fetch has answered yet asks the broker once ({@link ShareReceiver#nextAfterFirstFetch}). */
    @Override
    public TributaryMessage nextNoWait() throws JMSException {
        return next(0, true);
    }

    @Override
    public long pollSliceMs() {
        return POLL_SLICE_MS;
    }

    private TributaryMessage next(long pollMs, boolean firstFetch) throws JMSException {
        lock.lock();
        try {
            // one poll at most: expired records are skipped within what it fetched
            long slice = pollMs;
            while (!closed) {
                ConsumerRecord<byte[], byte[]> record = firstFetch
                        ? share.nextAfterFirstFetch(connection.options().sendTimeoutMs())
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
                if (!selector.matches(TributaryMessageConsumer.identifiers(m))) {
                    // the broker selects for this member: one that does not (a Kafka broker) hands out everything
                    share.release(record);
                    throw new JMSException("the broker handed " + destination + " a message its selector \""
                            + selector + "\" does not select (released): it does not evaluate message selectors for"
                            + " queues and shared subscriptions; a Tributary broker does");
                }
                m.setJMSRedelivered(count > 1);
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

    /** Accepts the delivered records; without {@code sync} the accepts go out in batches ({@link ShareReceiver}). */
    @Override
    public void acknowledgeDelivered(boolean sync) throws JMSException {
        settle(AcknowledgeType.ACCEPT, sync);
    }

    /** A share group's acknowledgements cannot join a Kafka transaction: they follow it. */
    @Override
    public void offsetsToTransaction(SessionTransaction transaction) {
    }

    /** Accepts the delivered records, waiting for the broker. */
    @Override
    public void transactionCommitted() throws JMSException {
        settle(AcknowledgeType.ACCEPT, true);
    }

    /** Releases the delivered records: they come again after those this reader already fetched. */
    @Override
    public void recover() throws JMSException {
        settle(AcknowledgeType.RELEASE, true);
    }

    private void settle(AcknowledgeType type, boolean sync) throws JMSException {
        lock.lock();
        try {
            if (closed || !share.holdsDelivered()) {
                return;
            }
            share.settle(type, sync);
            if (share.holdsBack()) {
                scheduleFlush();
            }
        } catch (RuntimeException e) {
            throw Errors.cause("cannot acknowledge on " + destination, e);
        } finally {
            lock.unlock();
        }
    }

    /** Has the connection's timer send the acknowledgements held back once due, unless it is set to already. */
    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)
                && !connection.timer().schedule(this::flushHeldBack, ShareReceiver.ASYNC_FLUSH_MS)) {
            flushScheduled.set(false); // the connection is closing: closing the receiver sends them
        }
    }

    /**
     * On the connection's timer: sends the acknowledgements held back if the application has not (it stopped
     * receiving), so that the broker does not deliver messages already auto-acknowledged again when their record
     * locks expire. A receive under way holds the lock and sends them itself (or is polling, which does): this
     * only tries the lock, and comes back later while anything is held back.
     */
    private void flushHeldBack() {
        flushScheduled.set(false);
        if (closed) {
            return;
        }
        boolean again = true;
        if (lock.tryLock()) {
            try {
                again = !closed && share.flushDue();
            } catch (RuntimeException e) {
                again = false;
                LOG.log(System.Logger.Level.WARNING, "cannot send the acknowledgements held back on " + destination
                        + " (they are sent with the next receive or at close): " + e);
            } finally {
                lock.unlock();
            }
        }
        if (again) {
            scheduleFlush();
        }
    }

    /**
     * Releases what was fetched and not acknowledged now (not when its lock expires) and leaves the group; the last
     * consumer of a non-durable subscription in this JVM deletes it unless the broker still has members.
     */
    @Override
    public void close() throws JMSException {
        closed = true;
        share.wakeup();
        lock.lock();
        try {
            share.close(Duration.ofMillis(connection.options().sendTimeoutMs()));
        } catch (RuntimeException e) {
            throw Errors.cause("error closing the consumer of " + destination, e);
        } finally {
            lock.unlock();
        }
        if (deleteGroupOnClose && ShareGroups.nonDurableClosed(group)) {
            try {
                ShareGroups.delete(connection, group);
            } catch (JMSException e) {
                // other consumers still share the subscription: it stays
                LOG.log(System.Logger.Level.DEBUG, "shared subscription " + group + " kept: " + e.getMessage());
            }
        }
    }
}
