package io.tributary.transactions.client;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A transactional producer in RocketMQ's shape: {@link #sendMessageInTransaction} stores a half message that
 * no consumer sees, runs the local transaction through the {@link TransactionListener}, and commits or rolls
 * back the half message by its answer. A background thread long-polls the broker for checks of this producer
 * group's undecided transactions and answers them with {@link TransactionListener#checkLocalTransaction}; any
 * running instance of the group may get the check, so a transaction sent by an instance that died is
 * decided by another.
 *
 * <pre>{@code
 * TransactionProducer producer = new TransactionProducer("orders-producer", "127.0.0.1:9092");
 * producer.setTransactionListener(listener);
 * producer.start();
 * TransactionSendResult result = producer.sendMessageInTransaction(Message.text("orders", "order 42"), order);
 * ...
 * producer.shutdown();
 * }</pre>
 *
 * Thread-safe. Speaks the broker's half-message extension APIs (docs/protocol.md) over the Kafka listener, with
 * TLS and SASL configured by kafka-clients' properties ({@link #TransactionProducer(String, java.util.Properties)}),
 * on connections of its own (not kafka-clients'); a broker without them (Apache Kafka) closes the connection, reported as
 * a {@link TransactionException} saying so.
 */
public final class TransactionProducer implements AutoCloseable {
    private static final Logger LOG = System.getLogger(TransactionProducer.class.getName());
    private static final int MAX_BACKOFF_MS = 1_000;

    private final String producerGroup;
    private final String bootstrapServers;
    private final ClientSecurity security;
    private volatile TransactionListener listener;
    private int requestTimeoutMs = 30_000;
    private int checkPollMs = 5_000;
    private BrokerConnection requests;
    private BrokerConnection polls;
    private Thread checker;
    private volatile boolean running;

    /**
     * @param producerGroup    the group whose members answer each other's checks (RocketMQ's producer group)
     * @param bootstrapServers {@code host:port[,host:port...]} of the broker's Kafka listener
     */
    public TransactionProducer(String producerGroup, String bootstrapServers) {
        this.producerGroup = Objects.requireNonNull(producerGroup, "producerGroup");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.security = ClientSecurity.PLAINTEXT;
        BrokerConnection.parse(bootstrapServers);
    }

    /**
     * A producer configured as a kafka-clients producer for the same listener: {@code bootstrap.servers}, and for
     * a secured listener {@code security.protocol}, {@code ssl.*} (trust store, key store for client
     * authentication, endpoint identification) and {@code sasl.mechanism} (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)
     * with {@code sasl.jaas.config}. Other properties are ignored.
     *
     * @throws IllegalArgumentException for a protocol or mechanism not supported, or TLS stores that cannot be read
     */
    public TransactionProducer(String producerGroup, java.util.Properties config) {
        this.producerGroup = Objects.requireNonNull(producerGroup, "producerGroup");
        this.bootstrapServers = Objects.requireNonNull(config.getProperty("bootstrap.servers"), "bootstrap.servers");
        this.security = ClientSecurity.from(config);
        BrokerConnection.parse(bootstrapServers);
    }

    public String getProducerGroup() {
        return producerGroup;
    }

    public void setTransactionListener(TransactionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** How long a request waits for the broker's answer (default 30 000 ms); set before {@link #start()}. */
    public void setRequestTimeoutMs(int requestTimeoutMs) {
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** How long one check poll waits at the broker (default 5 000 ms, at most 30 000); set before {@link #start()}. */
    public void setCheckPollMs(int checkPollMs) {
        this.checkPollMs = checkPollMs;
    }

    /** Starts answering checks. Needs a listener. */
    public synchronized void start() {
        if (listener == null) {
            throw new IllegalStateException("set a TransactionListener before start()");
        }
        if (running) {
            return;
        }
        List<java.net.InetSocketAddress> servers = BrokerConnection.parse(bootstrapServers);
        String clientId = "tributary-txn-" + producerGroup;
        requests = new BrokerConnection(servers, clientId, requestTimeoutMs, security);
        polls = new BrokerConnection(servers, clientId + "-checks", requestTimeoutMs, security);
        running = true;
        checker = new Thread(this::answerChecks, "tributary-txn-checks-" + producerGroup);
        checker.setDaemon(true);
        checker.start();
    }

    /**
     * Sends {@code message} as a half message, runs the local transaction, and ends the half transaction as
     * the listener says: committed (the message becomes visible), rolled back (dropped), or on UNKNOW left to
     * the broker's checks. An exception from the listener counts as UNKNOW.
     *
     * @param arg handed to {@link TransactionListener#executeLocalTransaction}
     * @throws TransactionException when the half message is refused or cannot be sent (the local transaction
     *                              then does not run), or when the broker refuses the decision (it was decided
     *                              otherwise after its last check)
     */
    public TransactionSendResult sendMessageInTransaction(Message message, Object arg) {
        BrokerConnection connection = requireStarted();
        String transactionId = UUID.randomUUID().toString();
        ByteBuffer sent = call(connection, Wire.SEND_HALF, Wire.sendHalf(producerGroup, transactionId, message), "SendHalf");
        Wire.Status status = Wire.status(sent);
        if (!status.ok()) {
            throw new TransactionException(status.errorCode(), "half message to " + message.getTopic() + " refused: "
                    + status.errorMessage() + " (error " + status.errorCode() + ")");
        }
        int partition = sent.getInt();
        LocalTransactionState state;
        try {
            state = listener.executeLocalTransaction(message, arg);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "executeLocalTransaction of " + transactionId + " failed; the broker will check it", e);
            state = LocalTransactionState.UNKNOW;
        }
        if (state == null) {
            state = LocalTransactionState.UNKNOW;
        }
        if (state != LocalTransactionState.UNKNOW) {
            try {
                end(connection, transactionId, state, 0);
            } catch (NoAnswer e) {
                LOG.log(Level.WARNING, "No answer to the " + state + " of half transaction " + transactionId
                        + "; the broker will check it: " + e.getMessage());
            }
        }
        return new TransactionSendResult(transactionId, message.getTopic(), partition, state);
    }

    /**
     * Commits ({@code COMMIT_MESSAGE}) or rolls back ({@code ROLLBACK_MESSAGE}) a half transaction of this
     * producer group by its id, e.g. one whose local transaction was UNKNOW when it was sent. The same decision
     * again succeeds.
     *
     * @throws TransactionException with {@link TransactionException#ALREADY_DECIDED} when it was decided the
     *                              other way, {@link TransactionException#UNKNOWN_TRANSACTION} when the broker
     *                              does not know it, {@link TransactionException#NO_ANSWER} when no answer came
     */
    public void endTransaction(String transactionId, LocalTransactionState state) {
        if (state == LocalTransactionState.UNKNOW) {
            throw new IllegalArgumentException("a transaction ends with COMMIT_MESSAGE or ROLLBACK_MESSAGE");
        }
        end(requireStarted(), transactionId, state, 0);
    }

    /** Stops answering checks and closes the connections. The broker keeps undecided transactions for other instances. */
    public void shutdown() {
        Thread stopping;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            stopping = checker;
            polls.close();
            requests.close();
        }
        try {
            stopping.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    private synchronized BrokerConnection requireStarted() {
        if (!running) {
            throw new IllegalStateException("the producer is not started");
        }
        return requests;
    }

    private void end(BrokerConnection connection, String transactionId, LocalTransactionState state, int check) {
        byte outcome = state == LocalTransactionState.COMMIT_MESSAGE ? Wire.OUTCOME_COMMIT
                : state == LocalTransactionState.ROLLBACK_MESSAGE ? Wire.OUTCOME_ROLLBACK : Wire.OUTCOME_UNKNOWN;
        Wire.Status status = Wire.status(call(connection, Wire.END_HALF,
                Wire.endHalf(producerGroup, transactionId, outcome, check), "EndHalf"));
        if (!status.ok()) {
            throw new TransactionException(status.errorCode(), "ending half transaction " + transactionId + " with "
                    + state + " refused: " + status.errorMessage() + " (error " + status.errorCode() + ")");
        }
    }

    private ByteBuffer call(BrokerConnection connection, short api, byte[] body, String what) {
        try {
            return connection.call(api, body, requestTimeoutMs);
        } catch (BrokerConnection.AuthenticationFailed e) {
            throw new TransactionException(e.errorCode, what + " to " + bootstrapServers + " not sent: " + e.getMessage());
        } catch (IOException e) {
            throw new NoAnswer(what + " to " + bootstrapServers + " failed: " + e.getMessage(), e);
        }
    }

    /** The check thread: poll, answer each check, back off after a failure (the broker may be restarting). */
    private void answerChecks() {
        int backoffMs = 50;
        while (running) {
            try {
                ByteBuffer answer = polls.call(Wire.POLL_CHECK, Wire.pollCheck(producerGroup, checkPollMs),
                        checkPollMs + requestTimeoutMs);
                Wire.Status status = Wire.status(answer);
                if (!status.ok()) {
                    throw new IOException("PollCheck refused: " + status.errorMessage() + " (error " + status.errorCode() + ")");
                }
                for (MessageView check : Wire.checks(answer)) {
                    answer(check);
                }
                backoffMs = 50;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.DEBUG, "Polling for checks of producer group " + producerGroup + " failed: " + e);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private void answer(MessageView check) {
        LocalTransactionState state;
        try {
            state = listener.checkLocalTransaction(check);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "checkLocalTransaction of " + check.transactionId() + " failed; answering UNKNOW", e);
            state = LocalTransactionState.UNKNOW;
        }
        if (state == null || state == LocalTransactionState.UNKNOW) {
            return;
        }
        try {
            end(polls, check.transactionId(), state, check.checkTimes());
        } catch (TransactionException e) {
            LOG.log(Level.WARNING, "Answer " + state + " to check " + check.checkTimes() + " of " + check.transactionId()
                    + ": " + e.getMessage());
        }
    }

    /** No answer came (connection failure, timeout, or a broker without half messages). */
    private static final class NoAnswer extends TransactionException {
        NoAnswer(String message, IOException cause) {
            super(message, cause);
        }
    }
}
