package io.tributary.jms;

import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection to the broker's Kafka listener. It owns one Kafka producer shared by its sessions' producers and
 * one admin client (topics created on first use, temporary destinations, durable subscriptions, and the broker
 * check behind the {@link ExceptionListener}); each message consumer has a Kafka consumer of its own.
 *
 * <p>Created connected: the constructor fails if the broker cannot be reached within
 * {@link ConnectionOptions#sendTimeoutMs()}. Stopped until {@link #start()}.
 */
public final class TributaryConnection implements QueueConnection, TopicConnection {
    private static final System.Logger LOG = System.getLogger(TributaryConnection.class.getName());
    private static final AtomicLong TEMPORARY_COUNTER = new AtomicLong();
    /** A Produce request whose client id ends so is fsynced before it is acknowledged (docs/protocol.md). */
    static final String FSYNC_SUFFIX = "#fsync";
    /**
     * The producers' {@code batch.size} unless the URL sets {@code kafka.batch.size}: Kafka's 16 KiB holds about a
     * dozen 1 KiB messages, and an asynchronous or transacted sender has at most five requests in flight, each
     * one fsynced batch per partition, so the batch size bounds its messages per fsync. A batch is only as full
     * as what queued up behind the requests in flight ({@code linger.ms} 0), so a synchronous send is not delayed.
     */
    static final int DEFAULT_BATCH_SIZE = 256 * 1024;

    private final ConnectionOptions options;
    private final String id = UUID.randomUUID().toString();
    private final AtomicLong messageCounter = new AtomicLong();
    private final Admin admin;
    private final ConnectionTimer timer = new ConnectionTimer(id);
    private final List<TributarySession> sessions = new CopyOnWriteArrayList<>();
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
    private final Set<String> temporaries = ConcurrentHashMap.newKeySet();
    private final Map<String, TributaryMessageConsumer> activeExclusive = new ConcurrentHashMap<>();
    private final Map<String, Map<org.apache.kafka.common.TopicPartition, Long>> temporaryQueuePositions =
            new ConcurrentHashMap<>();
    private final Object startLock = new Object();
    private volatile String clientId;
    private volatile boolean clientIdFixed;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile JMSException failure;
    private volatile ExceptionListener exceptionListener;
    private volatile Thread monitor;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaProducer<byte[], byte[]> persistentProducer;

    TributaryConnection(ConnectionOptions options) throws JMSException {
        this.options = options;
        this.clientId = options.clientId();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.putAll(options.kafkaClientConfig());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "jms-admin-" + id);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(options.sendTimeoutMs(), Integer.MAX_VALUE));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(options.sendTimeoutMs(), Integer.MAX_VALUE));
        this.admin = Admin.create(config);
        try {
            admin.describeCluster().clusterId().get(options.sendTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close(Duration.ZERO);
            throw Errors.cause("interrupted while connecting to " + options.bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException e) {
            admin.close(Duration.ZERO);
            throw Errors.cause("cannot reach the broker at " + options.bootstrapServers() + " within "
                    + options.sendTimeoutMs() + " ms", e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    ConnectionOptions options() {
        return options;
    }

    /** This connection's unique id (the {@code jms.connection} header, for noLocal). */
    String id() {
        return id;
    }

    /** A message ID unique across connections: this connection's id and a counter (cheaper than a UUID each). */
    String nextMessageId() {
        return "ID:" + id + ":" + messageCounter.incrementAndGet();
    }

    Admin admin() {
        return admin;
    }

    ConnectionTimer timer() {
        return timer;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
    }

    void checkUsable() throws JMSException {
        checkOpen();
        JMSException f = failure;
        if (f != null) {
            throw new IllegalStateException("the connection failed: " + f.getMessage());
        }
    }

    void fixClientId() {
        clientIdFixed = true;
    }

    @Override
    public TributarySession createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        checkUsable();
        fixClientId();
        if (transacted || acknowledgeMode == Session.SESSION_TRANSACTED) {
            TributarySession session = new TributarySession(this, Session.SESSION_TRANSACTED);
            sessions.add(session);
            return session;
        }
        if (acknowledgeMode != Session.AUTO_ACKNOWLEDGE && acknowledgeMode != Session.CLIENT_ACKNOWLEDGE
                && acknowledgeMode != Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSException("invalid acknowledge mode " + acknowledgeMode);
        }
        TributarySession session = new TributarySession(this, acknowledgeMode);
        sessions.add(session);
        return session;
    }

    @Override
    public TributarySession createSession(int sessionMode) throws JMSException {
        return createSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode);
    }

    @Override
    public TributarySession createSession() throws JMSException {
        return createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createSession(transacted, acknowledgeMode);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createSession(transacted, acknowledgeMode);
    }

    void sessionClosed(TributarySession session) {
        sessions.remove(session);
    }

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    @Override
    public void setClientID(String clientID) throws JMSException {
        checkOpen();
        if (clientIdFixed || clientId != null) {
            throw new IllegalStateException("the client ID can only be set once, before the connection is used");
        }
        if (clientID == null || clientID.isEmpty()) {
            throw new InvalidClientIDException("a client ID must not be null or empty");
        }
        this.clientId = clientID;
        fixClientId();
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return new TributaryMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return exceptionListener;
    }

    @Override
    public synchronized void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        fixClientId();
        this.exceptionListener = listener;
        if (listener != null && monitor == null) {
            Thread t = new Thread(this::watchBroker, "tributary-jms-monitor-" + id);
            t.setDaemon(true);
            monitor = t;
            t.start();
        }
    }

    /**
     * Asks the broker for its cluster description every fifth of {@code failureDetectionMs}; once it has not
     * answered for {@code failureDetectionMs} the connection fails (unless {@code reconnect}) and the exception
     * listener is told, once.
     */
    private void watchBroker() {
        long period = Math.max(50, options.failureDetectionMs() / 5);
        long lastAnswer = System.nanoTime();
        while (!closed && failure == null) {
            try {
                admin.describeCluster().nodes().get(period, TimeUnit.MILLISECONDS);
                lastAnswer = System.nanoTime();
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | TimeoutException e) {
                long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAnswer);
                if (silentMs >= options.failureDetectionMs() && !options.reconnect() && !closed) {
                    JMSException lost = Errors.cause("lost the broker at " + options.bootstrapServers()
                            + ": no answer for " + silentMs + " ms", e instanceof ExecutionException ? e.getCause() : e);
                    failure = lost;
                    ExceptionListener listener = exceptionListener;
                    if (listener != null) {
                        listener.onException(lost);
                    }
                    return;
                }
            }
        }
    }

    /** Called by producers when a send fails asynchronously (NON_PERSISTENT without a CompletionListener). */
    void asyncFailure(JMSException e) {
        ExceptionListener listener = exceptionListener;
        if (listener != null) {
            listener.onException(e);
        } else {
            LOG.log(System.Logger.Level.WARNING, "asynchronous send failed: " + e.getMessage());
        }
    }

    @Override
    public void start() throws JMSException {
        checkUsable();
        fixClientId();
        synchronized (startLock) {
            started = true;
            startLock.notifyAll();
        }
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        fixClientId();
        started = false;
        for (TributarySession session : sessions) {
            session.awaitListenerIdle();
        }
    }

    boolean started() {
        return started;
    }

    /** Waits up to {@code millis} for {@link #start()}; returns whether started. */
    boolean awaitStarted(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (startLock) {
            while (!started && !closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                startLock.wait(left);
            }
            return started;
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        for (TributarySession session : sessions) {
            session.close();
        }
        closed = true;
        timer.close();
        synchronized (startLock) {
            startLock.notifyAll();
        }
        Thread t = monitor;
        if (t != null) {
            t.interrupt();
        }
        for (String name : temporaries) {
            try {
                admin.deleteTopics(List.of(name)).all().get(options.sendTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete temporary destination " + name + ": " + e);
            }
        }
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofMillis(options.sendTimeoutMs()));
            }
            if (persistentProducer != null) {
                persistentProducer.close(Duration.ofMillis(options.sendTimeoutMs()));
            }
        }
        admin.close(Duration.ofMillis(options.sendTimeoutMs()));
    }

    /**
     * The connection's producer for PERSISTENT ({@code persistent}) or NON_PERSISTENT messages. The PERSISTENT one's
     * client id ends in {@value #FSYNC_SUFFIX}, which asks the broker to fsync its appends before acknowledging them
     * whatever the topic's flush policy (docs/protocol.md); JMS orders messages only within one delivery mode, so
     * two producers keep each mode's order.
     */
    synchronized KafkaProducer<byte[], byte[]> producer(boolean persistent) throws JMSException {
        checkUsable();
        if (persistent) {
            if (persistentProducer == null) {
                persistentProducer = new KafkaProducer<>(producerConfig("jms-producer-" + id + FSYNC_SUFFIX));
            }
            return persistentProducer;
        }
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig("jms-producer-" + id));
        }
        return producer;
    }

    /** The configuration of the connection's producer and of a transacted session's producer. */
    Properties producerConfig(String clientId) {
        return producerConfig(options, clientId);
    }

    static Properties producerConfig(ConnectionOptions options, String clientId) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
        config.putAll(options.kafkaClientConfig());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) Math.min(options.lingerMs(), Integer.MAX_VALUE));
        int timeout = (int) Math.min(options.sendTimeoutMs(), Integer.MAX_VALUE);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min((long) timeout + options.lingerMs(), Integer.MAX_VALUE));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeout);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** Sends one record through the connection's producer; {@code callback} runs on the producer's I/O thread. */
    void send(ProducerRecord<byte[], byte[]> record, Callback callback, boolean persistent) throws JMSException {
        producer(persistent).send(record, callback);
    }

    /** Creates the topic {@code name} with the broker's defaults unless this connection knows it exists. */
    void ensureTopic(String name) throws JMSException {
        if (knownTopics.contains(name)) {
            return;
        }
        TributaryDestination.checkName(name);
        try {
            admin.createTopics(List.of(new NewTopic(name, Optional.empty(), Optional.empty())))
                    .all().get(options.sendTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw Errors.cause("cannot create topic " + name, e.getCause());
            }
        } catch (TimeoutException e) {
            throw Errors.cause("cannot create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted creating topic " + name, e);
        }
        knownTopics.add(name);
    }

    TributaryTemporaryTopic createTemporaryTopic() throws JMSException {
        TributaryTemporaryTopic topic = new TributaryTemporaryTopic(temporaryName(), this);
        ensureTopic(topic.name());
        temporaries.add(topic.name());
        return topic;
    }

    TributaryTemporaryQueue createTemporaryQueue() throws JMSException {
        TributaryTemporaryQueue queue = new TributaryTemporaryQueue(temporaryName(), this);
        ensureTopic(queue.name());
        temporaries.add(queue.name());
        return queue;
    }

    private String temporaryName() {
        return "jms.temp." + id.substring(0, 8) + "." + TEMPORARY_COUNTER.incrementAndGet();
    }

    boolean ownsTemporary(String name) {
        return temporaries.contains(name);
    }

    void deleteTemporary(TributaryDestination destination) throws JMSException {
        checkOpen();
        if (!temporaries.contains(destination.name())) {
            throw new IllegalStateException(destination + " is not a live temporary destination of this connection");
        }
        if (activeExclusive.containsKey(destination.address())) {
            throw new IllegalStateException(destination + " still has a consumer; close it before delete()");
        }
        try {
            admin.deleteTopics(List.of(destination.name())).all().get(options.sendTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw Errors.cause("cannot delete " + destination, e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.cause("interrupted deleting " + destination, e);
        }
        temporaries.remove(destination.name());
        knownTopics.remove(destination.name());
        temporaryQueuePositions.remove(destination.name());
    }

    /**
     * Claims {@code key} (a durable subscription's group, a temporary queue's address) for {@code consumer}: only
     * one consumer at a time. @throws IllegalStateException if another holds it
     */
    void claim(String key, TributaryMessageConsumer consumer, String what) throws JMSException {
        TributaryMessageConsumer previous = activeExclusive.putIfAbsent(key, consumer);
        if (previous != null && previous != consumer) {
            throw new IllegalStateException(what + " already has an active consumer on this connection");
        }
    }

    void release(String key, TributaryMessageConsumer consumer) {
        activeExclusive.remove(key, consumer);
    }

    /** The open consumers of share groups (queue receivers, shared subscriptions) in this connection's sessions. */
    List<TributaryMessageConsumer> openShareConsumers() {
        return sessions.stream().flatMap(s -> s.consumers().stream()).filter(c -> c.shareGroup() != null).toList();
    }

    boolean claimed(String key) {
        return activeExclusive.containsKey(key);
    }

    /** The consumer that holds {@code key} (see {@link #claim}), or null. */
    TributaryMessageConsumer claimant(String key) {
        return activeExclusive.get(key);
    }

    /** Where the next consumer of temporary queue {@code name} starts: after what earlier consumers took. */
    Map<org.apache.kafka.common.TopicPartition, Long> temporaryQueuePosition(String name) {
        return temporaryQueuePositions.getOrDefault(name, Collections.emptyMap());
    }

    void temporaryQueuePosition(String name, Map<org.apache.kafka.common.TopicPartition, Long> positions) {
        if (temporaries.contains(name)) {
            temporaryQueuePositions.put(name, new HashMap<>(positions));
        }
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw new JMSException("connection consumers (application-server facilities) are not supported");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(jakarta.jms.Queue queue, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw new JMSException("connection consumers (application-server facilities) are not supported");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw new JMSException("connection consumers (application-server facilities) are not supported");
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                                                             String messageSelector, ServerSessionPool sessionPool,
                                                             int maxMessages) throws JMSException {
        throw new JMSException("connection consumers (application-server facilities) are not supported");
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                              String messageSelector, ServerSessionPool sessionPool,
                                                              int maxMessages) throws JMSException {
        throw new JMSException("connection consumers (application-server facilities) are not supported");
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector,
                                                                    ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw new JMSException("connection consumers (application-server facilities) are not supported");
    }
}
