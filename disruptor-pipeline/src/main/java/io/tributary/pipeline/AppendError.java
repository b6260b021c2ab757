package io.tributary.pipeline;

/** Why an append failed; each maps onto one protocol error code in the adapters. */
public enum AppendError {
    NONE,
    /** Bad length, magic other than 2, or CRC mismatch (Kafka CORRUPT_MESSAGE). */
    CORRUPT_MESSAGE,
    /** A batch larger than the topic's {@code max.message.bytes} (Kafka MESSAGE_TOO_LARGE). */
    RECORD_TOO_LARGE,
    /** A well-formed batch the broker refuses, e.g. an empty batch (Kafka INVALID_RECORD). */
    INVALID_RECORD,
    /** Idempotent producer sequence gap (Kafka OUT_OF_ORDER_SEQUENCE_NUMBER). */
    OUT_OF_ORDER_SEQUENCE,
    /** Producer epoch older than the one seen (Kafka INVALID_PRODUCER_EPOCH). */
    INVALID_PRODUCER_EPOCH,
    /** Non-zero first sequence from a producer the partition does not know (Kafka UNKNOWN_PRODUCER_ID). */
    UNKNOWN_PRODUCER_ID,
    /** A transactional write the producer's transaction does not allow (Kafka INVALID_TXN_STATE). */
    INVALID_TXN_STATE,
    /** The write or fsync failed, e.g. disk full (Kafka KAFKA_STORAGE_ERROR). */
    STORAGE_ERROR,
    /**
     * A CreateTime timestamp outside the topic's {@code message.timestamp.before.max.ms} /
     * {@code message.timestamp.after.max.ms} window around the broker's clock (Kafka INVALID_TIMESTAMP).
     */
    INVALID_TIMESTAMP
}
