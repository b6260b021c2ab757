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
 */
public record ProducerSettings(String topic, Acks acks, boolean idempotent, String compression,
                               int batchBytes, int lingerMs, Map<String, String> extra) {

    /** Copies {@code extra}. */
    public ProducerSettings {
        extra = Map.copyOf(extra);
    }
}
