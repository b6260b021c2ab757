package io.tributary.transactions;

/**
 * Settings of the transaction coordinator, under Kafka's names.
 *
 * @param maxTimeoutMs            {@code transaction.max.timeout.ms}: the largest transaction timeout a
 *                                producer may ask for (larger: INVALID_TRANSACTION_TIMEOUT)
 * @param abortTimedOutIntervalMs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}: how
 *                                often open transactions past their timeout are aborted
 * @param idExpirationMs          {@code transactional.id.expiration.ms}: a transactional id with no
 *                                transaction open and no request for this long is forgotten
 * @param transactionVersion      {@code transaction.version}: the finalized level of Kafka's feature, 1 or 2
 *                                (KIP-890 part 2: implicit partitions and an epoch bump per transaction);
 *                                clients use level 2 only when the broker finalizes it
 */
public record TransactionConfig(long maxTimeoutMs, long abortTimedOutIntervalMs, long idExpirationMs,
                                TransactionVersion transactionVersion) {
    public static final long DEFAULT_MAX_TIMEOUT_MS = 900_000L;
    public static final long DEFAULT_ABORT_TIMED_OUT_INTERVAL_MS = 10_000L;
    public static final long DEFAULT_ID_EXPIRATION_MS = 604_800_000L;
    public static final TransactionVersion DEFAULT_TRANSACTION_VERSION = TransactionVersion.V2;

    public TransactionConfig {
        if (maxTimeoutMs < 1) {
            throw new IllegalArgumentException("transaction.max.timeout.ms must be at least 1, got " + maxTimeoutMs);
        }
        if (abortTimedOutIntervalMs < 1) {
            throw new IllegalArgumentException(
                    "transaction.abort.timed.out.transaction.cleanup.interval.ms must be at least 1, got "
                            + abortTimedOutIntervalMs);
        }
        if (idExpirationMs < 1) {
            throw new IllegalArgumentException("transactional.id.expiration.ms must be at least 1, got " + idExpirationMs);
        }
        if (transactionVersion == null) {
            throw new IllegalArgumentException("transaction.version must be 1 or 2");
        }
    }

    /** The settings with the default {@code transaction.version}. */
    public TransactionConfig(long maxTimeoutMs, long abortTimedOutIntervalMs, long idExpirationMs) {
        this(maxTimeoutMs, abortTimedOutIntervalMs, idExpirationMs, DEFAULT_TRANSACTION_VERSION);
    }

    /** These settings with {@code transaction.version} set to {@code version}. */
    public TransactionConfig withTransactionVersion(TransactionVersion version) {
        return new TransactionConfig(maxTimeoutMs, abortTimedOutIntervalMs, idExpirationMs, version);
    }

    public static TransactionConfig defaults() {
        return new TransactionConfig(DEFAULT_MAX_TIMEOUT_MS, DEFAULT_ABORT_TIMED_OUT_INTERVAL_MS, DEFAULT_ID_EXPIRATION_MS);
    }
}
