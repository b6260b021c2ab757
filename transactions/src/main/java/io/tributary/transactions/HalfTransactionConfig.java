package io.tributary.transactions;

/**
 * Settings of the half-message (RocketMQ-style) transaction coordinator. RocketMQ's broker names are
 * given for each.
 *
 * @param checkTimeoutMs   {@code transaction.check.timeout.ms} (RocketMQ {@code transactionTimeOut}): a half
 *                         transaction undecided this long after it was sent gets its first check
 * @param checkIntervalMs  {@code transaction.check.interval.ms} (RocketMQ {@code transactionCheckInterval}):
 *                         the time between two checks of the same half transaction
 * @param checkMax         {@code transaction.check.max} (RocketMQ {@code transactionCheckMax}): how many checks
 *                         are made before {@code checkMaxOutcome} is applied
 * @param checkMaxOutcome  {@code transaction.check.max.outcome}: what a half transaction still undecided after
 *                         the last check becomes (RocketMQ always discards it: rollback)
 * @param decidedRetentionMs {@code transaction.decided.retention.ms}: how long a decided half transaction is
 *                         remembered (so that a decision the other way is refused) before a tombstone forgets it;
 *                         Kafka's {@code transactional.id.expiration.ms} default, 7 days
 */
public record HalfTransactionConfig(long checkTimeoutMs, long checkIntervalMs, int checkMax,
                                    HalfOutcome checkMaxOutcome, long decidedRetentionMs) {
    public static final long DEFAULT_CHECK_TIMEOUT_MS = 6_000L;
    public static final long DEFAULT_CHECK_INTERVAL_MS = 60_000L;
    public static final int DEFAULT_CHECK_MAX = 15;
    public static final HalfOutcome DEFAULT_CHECK_MAX_OUTCOME = HalfOutcome.ROLLBACK;
    public static final long DEFAULT_DECIDED_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    public HalfTransactionConfig {
        if (checkTimeoutMs < 1) {
            throw new IllegalArgumentException("transaction.check.timeout.ms must be at least 1, got " + checkTimeoutMs);
        }
        if (checkIntervalMs < 1) {
            throw new IllegalArgumentException("transaction.check.interval.ms must be at least 1, got " + checkIntervalMs);
        }
        if (checkMax < 0) {
            throw new IllegalArgumentException("transaction.check.max must be at least 0, got " + checkMax);
        }
        if (checkMaxOutcome == null) {
            throw new IllegalArgumentException("transaction.check.max.outcome must be rollback or commit");
        }
        if (decidedRetentionMs < 1) {
            throw new IllegalArgumentException("transaction.decided.retention.ms must be at least 1, got "
                    + decidedRetentionMs);
        }
    }

    /** With the default {@link #decidedRetentionMs}. */
    public HalfTransactionConfig(long checkTimeoutMs, long checkIntervalMs, int checkMax, HalfOutcome checkMaxOutcome) {
        this(checkTimeoutMs, checkIntervalMs, checkMax, checkMaxOutcome, DEFAULT_DECIDED_RETENTION_MS);
    }

    public static HalfTransactionConfig defaults() {
        return new HalfTransactionConfig(DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_CHECK_INTERVAL_MS, DEFAULT_CHECK_MAX,
                DEFAULT_CHECK_MAX_OUTCOME);
    }
}
