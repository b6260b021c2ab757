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
 */
public record TransactionConfig(long maxTimeoutMs, long abortTimedOutIntervalMs, long idExpirationMs) {
    public static final long DEFAULT_MAX_TIMEOUT_MS = 900_000L;
    public static final long DEFAULT_ABORT_TIMED_OUT_INTERVAL_MS = 10_000L;
    public static final long DEFAULT_ID_EXPIRATION_MS = 604_800_000L;

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
    }

    public static TransactionConfig defaults() {
        return new TransactionConfig(DEFAULT_MAX_TIMEOUT_MS, DEFAULT_ABORT_TIMED_OUT_INTERVAL_MS, DEFAULT_ID_EXPIRATION_MS);
    }
}
