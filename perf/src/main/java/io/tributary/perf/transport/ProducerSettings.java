package io.tributary.perf.transport;

import java.util.Map;

/**
 * Protocol-neutral producer settings; a transport maps what it understands and may ignore the
 * rest (documented per transport).
 *
 * @param topic       where to send
 * @param acks        when a send is acknowledged
 * @param idempotent  deduplicated retries (Kafka {@code enable.idempotence})
 * @param compression codec name ({@code none}, {@code gzip}, {@code snappy}, {@code lz4}, {@code zstd})
 * @param batchBytes  most bytes per batch (Kafka {@code batch.size})
 * @param lingerMs    how long to wait for a batch to fill (Kafka {@code linger.ms})
 * @param extra       transport-specific properties, applied last
 * @param transactionalId the producer's transactional id (Kafka {@code transactional.id}), or null for a
 *                    producer without transactions
 */
public record ProducerSettings(String topic, Acks acks, boolean idempotent, String compression,
                               int batchBytes, int lingerMs, Map<String, String> extra, String transactionalId) {

    /** Copies {@code extra}. */
    public ProducerSettings {
        extra = Map.copyOf(extra);
    }

    /** Settings of a producer without transactions. */
    public ProducerSettings(String topic, Acks acks, boolean idempotent, String compression,
                            int batchBytes, int lingerMs, Map<String, String> extra) {
        this(topic, acks, idempotent, compression, batchBytes, lingerMs, extra, null);
    }

    /** These settings for a producer with transactional id {@code id}, idempotent (transactions need it). */
    public ProducerSettings withTransactionalId(String id) {
        return new ProducerSettings(topic, acks, true, compression, batchBytes, lingerMs, extra, id);
    }
}
