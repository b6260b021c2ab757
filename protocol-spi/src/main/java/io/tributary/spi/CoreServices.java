package io.tributary.spi;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.delivery.group.OffsetCommitRequest;
import io.tributary.delivery.group.GroupScheduler;
import io.tributary.delivery.group.TopicMetadata;
import io.tributary.delivery.group.store.LogGroupStore;
import io.tributary.delivery.share.LogOffsets;
import io.tributary.delivery.share.DeadLetterConfig;
import io.tributary.delivery.share.LogDeadLetters;
import io.tributary.delivery.share.LogShareStateStore;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.TransactionCleanerHints;
import io.tributary.transactions.GroupOffsets;
import io.tributary.transactions.HalfTransactionCoordinator;
import io.tributary.transactions.TransactionCoordinator;
import io.tributary.security.acl.AclStore;
import io.tributary.security.acl.Authorizer;
import io.tributary.security.limits.ConnectionQuota;
import io.tributary.security.sasl.ScramCredentialStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place where the core services are built and wired, each once, from a {@link CoreConfig}:
 * the broker starts it with the configuration it parsed, and adapter tests with defaults, so both run
 * the same wiring.
 *
 * <pre>
 * start:  log (recovers) -&gt; ingest pipeline -&gt; read executor -&gt; __consumer_offsets store -&gt; group coordinator (replays)
 *         -&gt; share-group engine (replays __share_group_state)
 *         -&gt; transaction coordinator (replays __transaction_state, finishes or aborts what the last run left open)
 * close:  the reverse; the pipeline drains accepted appends, the log writes its clean-shutdown marker
 * </pre>
 *
 * Close the protocol adapters first: they call into these services.
 */
public final class CoreServices implements BrokerServices, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoreServices.class);
    private static final long READ_DRAIN_SECONDS = 5;

    private final LogManager log;
    private final IngestPipeline ingest;
    private final ExecutorService reads;
    private final GroupCoordinator groups;
    private final ShareEngine shares;
    private final TransactionCoordinator transactions;
    private final HalfTransactionCoordinator halfTransactions;
    private final BrokerSettings settings;
    private final Deque<AutoCloseable> closeOrder;
    private boolean closed;
    private ScramCredentialStore scramCredentials;
    private Authorizer authorizer;
    private boolean authorizerBuilt;
    private ConnectionQuota connectionQuota;
    private io.tributary.security.quota.ClientQuotas clientQuotas;

    private CoreServices(LogManager log, IngestPipeline ingest, ExecutorService reads, GroupCoordinator groups,
                         ShareEngine shares, TransactionCoordinator transactions,
                         HalfTransactionCoordinator halfTransactions, BrokerSettings settings,
                         Deque<AutoCloseable> closeOrder) {
        this.log = log;
        this.ingest = ingest;
        this.reads = reads;
        this.groups = groups;
        this.shares = shares;
        this.transactions = transactions;
        this.halfTransactions = halfTransactions;
        this.settings = settings;
        this.closeOrder = closeOrder;
    }

    /**
     * Starts every service and returns once the log is recovered and the coordinators have replayed
     * their internal topics. On failure, what was started is closed again before the exception
     * propagates.
     */
    public static CoreServices start(CoreConfig config) throws Exception {
        return start(config, LogManager.open(config.log()));
    }

    /**
     * As {@link #start(CoreConfig)}, over a log the caller opened from {@code config.log()} (e.g. one
     * whose files fail on purpose, in tests). The services own it from here: it is closed with them,
     * or at once if starting fails.
     */
    public static CoreServices start(CoreConfig config, LogManager log) throws Exception {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        started.push(log);
        try {
            IngestPipeline ingest = IngestPipeline.start(log, config.pipeline());
            started.push(ingest);
            if (config.log().cleanerHints() instanceof TransactionCleanerHints hints) {
                hints.bind(log, ingest);
            }
            ExecutorService reads = Executors.newFixedThreadPool(config.readThreads(), threads("tributary-read"));
            started.push(() -> shutDown(reads));
            LogGroupStore groupStore = LogGroupStore.open(log, ingest, config.groupStore());
            GroupScheduler scheduler = GroupScheduler.system();
            started.push(scheduler);
            GroupCoordinator groups = GroupCoordinator.start(config.groups(), scheduler, groupStore,
                    TopicMetadata.of(log));
            started.push(groups);
            LogDeadLetters deadLetters = new LogDeadLetters(log, ingest, DeadLetterConfig.from(config.settings().all(),
                    config.settings().numPartitions()));
            started.push(deadLetters);
            ShareEngine shares = ShareEngine.start(config.shares(), TopicMetadata.of(log), LogOffsets.of(log),
                    LogShareStateStore.open(log, ingest), deadLetters);
            started.push(shares);
            TransactionCoordinator transactions = TransactionCoordinator.start(config.transactions(), log, ingest,
                    transactionOffsets(groups), Clock.systemUTC());
            started.push(transactions);
            HalfTransactionCoordinator halfTransactions = HalfTransactionCoordinator.start(config.halfTransactions(),
                    log, ingest, Clock.systemUTC());
            started.push(halfTransactions);
            return new CoreServices(log, ingest, reads, groups, shares, transactions, halfTransactions,
                    config.settings(), started);
        } catch (Exception | Error e) {
            closeAll(started, e);
            throw e;
        }
    }

    @Override
    public LogManager log() {
        return log;
    }

    @Override
    public IngestPipeline ingest() {
        return ingest;
    }

    @Override
    public GroupCoordinator groups() {
        return groups;
    }

    @Override
    public ShareEngine shares() {
        return shares;
    }

    @Override
    public TransactionCoordinator transactions() {
        return transactions;
    }

    @Override
    public HalfTransactionCoordinator halfTransactions() {
        return halfTransactions;
    }

    /** A committed transaction's offsets go to the group coordinator; any partition's failure fails the commit. */
    private static GroupOffsets transactionOffsets(GroupCoordinator groups) {
        return (groupId, offsets) -> groups.commitTransactionOffsets(groupId, offsets.stream()
                        .map(o -> new OffsetCommitRequest.PartitionOffset(new TopicPartition(o.topic(), o.partition()),
                                o.offset(), o.leaderEpoch(), o.metadata()))
                        .toList())
                .thenAccept(errors -> errors.forEach((partition, error) -> {
                    if (error != GroupError.NONE) {
                        throw new IllegalStateException("offset of " + partition + " not committed: " + error);
                    }
                }));
    }

    @Override
    public Executor readExecutor() {
        return reads;
    }

    @Override
    public BrokerSettings settings() {
        return settings;
    }

    /** Built on first use (the first listener's start) from the settings, its ACLs from the log's directory. */
    @Override
    public synchronized Authorizer authorizer() {
        if (!authorizerBuilt) {
            try {
                authorizer = Authorizer.fromKafkaKeys(settings.all(), AclStore.open(log.directory()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the ACLs in " + log.directory(), e);
            }
            authorizerBuilt = true;
        }
        return authorizer;
    }

    /** Built on first use (the first listener's start) from the settings. */
    @Override
    public synchronized ConnectionQuota connectionQuota() {
        if (connectionQuota == null) {
            connectionQuota = ConnectionQuota.fromKafkaKeys(settings.all());
        }
        return connectionQuota;
    }

    /** Opened on first use (the first listener's start), from the log's directory and the quota window settings. */
    @Override
    public synchronized io.tributary.security.quota.ClientQuotas clientQuotas() {
        if (clientQuotas == null) {
            try {
                clientQuotas = io.tributary.security.quota.ClientQuotas.fromKafkaKeys(settings.all(),
                        io.tributary.security.quota.ClientQuotaStore.open(log.directory()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the client quotas in " + log.directory(), e);
            }
        }
        return clientQuotas;
    }

    /** Opened on first use (the first SASL listener's start), from the log's directory. */
    @Override
    public synchronized ScramCredentialStore scramCredentials() {
        if (scramCredentials == null) {
            try {
                scramCredentials = ScramCredentialStore.open(log.directory());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the SCRAM credentials in " + log.directory(), e);
            }
        }
        return scramCredentials;
    }

    /**
     * Stops the services in reverse start order. Each step runs even if an earlier one failed; the
     * first failure is thrown afterwards with the others suppressed. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = closeAll(closeOrder, null);
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeAll(Deque<AutoCloseable> order, Throwable cause) {
        RuntimeException failure = null;
        while (!order.isEmpty()) {
            AutoCloseable step = order.pop();
            try {
                step.close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                    continue;
                }
                LOG.error("Closing {} failed", step.getClass().getSimpleName(), e);
                if (failure == null) {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    private static void shutDown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(READ_DRAIN_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("Read executor still busy {} s after close; interrupting its threads", READ_DRAIN_SECONDS);
            executor.shutdownNow();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
