package io.tributary.spi;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.log.LogManager;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.security.sasl.ScramCredentialStore;
import io.tributary.transactions.HalfTransactionCoordinator;
import io.tributary.transactions.TransactionCoordinator;

import java.util.concurrent.Executor;

/**
 * What the broker hands every protocol adapter: the core services, each built once per broker (see
 * {@link CoreServices}), so that every listener of every protocol sees the same log, groups and queues.
 */
public interface BrokerServices {
    LogManager log();

    IngestPipeline ingest();

    /** The consumer-group coordinator: classic and consumer (KIP-848) groups and their committed offsets. */
    GroupCoordinator groups();

    /** The share-group (queue) delivery engine: share-group membership and per-partition record delivery. */
    ShareEngine shares();
    /** The transaction coordinator: Kafka transactions, their markers and timeouts. */
    TransactionCoordinator transactions();

    /** The half-message (RocketMQ-style) transaction coordinator with check-back (decision 0017). */
    HalfTransactionCoordinator halfTransactions();

    /**
     * Where file reads run: index lookups, batch-header reads and scans that a request needs before
     * it can answer. Network event loops hand such work here and take the result back; only
     * zero-copy sends ({@code sendfile}) of slices found here stay on the event loop. Tasks must not
     * block on anything but the disk. Submitting after the broker began to close may be rejected
     * ({@link java.util.concurrent.RejectedExecutionException}).
     */
    Executor readExecutor();

    BrokerSettings settings();

    /** The SCRAM users of every SASL listener, kept durably in the data directory. */
    ScramCredentialStore scramCredentials();

    /**
     * The ACL authorizer {@code authorizer.class.name} configures, shared by every listener, or
     * {@code null} when the key is unset (no authorization, as in Kafka).
     *
     * @throws IllegalArgumentException if the authorizer settings are invalid
     */
    io.tributary.security.acl.Authorizer authorizer();

    /**
     * The broker-wide connection limits ({@code max.connections}, {@code max.connections.per.ip}),
     * shared by every listener.
     *
     * @throws IllegalArgumentException if their settings are invalid
     */
    io.tributary.security.limits.ConnectionQuota connectionQuota();

    /**
     * The client quotas ({@code producer_byte_rate}, {@code consumer_byte_rate}, {@code request_percentage})
     * set through AlterClientQuotas, kept durably in the data directory and shared by every listener.
     *
     * @throws IllegalArgumentException if the quota window settings are invalid
     */
    io.tributary.security.quota.ClientQuotas clientQuotas();
}
