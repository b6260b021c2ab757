package io.tributary.kafka.api;

import io.tributary.pipeline.Durability;

/**
 * The durability a Produce request asks for, read from its header's client id: a client id ending in
 * {@value #FSYNC_SUFFIX} asks that every append of the request be fsynced before it is acknowledged, whatever the
 * topic's flush policy ({@link Durability#FSYNC}); any other follows the flush policy. A Tributary extension that
 * needs no new request field, so any Kafka client can ask for it by its {@code client.id}, and a real Kafka broker
 * reads such a client id as just a name (docs/protocol.md). The JMS provider's PERSISTENT producers use it.
 */
public final class ProduceDurability {
    /** The client id suffix that asks for an fsync before the acknowledgement. */
    public static final String FSYNC_SUFFIX = "#fsync";

    private ProduceDurability() {
    }

    public static Durability of(String clientId) {
        return clientId != null && clientId.endsWith(FSYNC_SUFFIX) ? Durability.FSYNC : Durability.FLUSH_POLICY;
    }
}
