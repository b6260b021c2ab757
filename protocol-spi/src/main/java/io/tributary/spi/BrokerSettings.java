package io.tributary.spi;

import java.util.Map;
import java.util.Set;

/**
 * Broker-wide settings a protocol adapter needs, already validated by the broker.
 *
 * @param nodeId                  {@code node.id}
 * @param clusterId               persisted in the data directory at first start
 * @param numPartitions           {@code num.partitions}: partition count of auto-created topics
 * @param autoCreateTopics        {@code auto.create.topics.enable}
 * @param socketRequestMaxBytes   {@code socket.request.max.bytes}: largest request frame accepted
 * @param connectionsMaxIdleMs    {@code connections.max.idle.ms}
 * @param all                     every broker setting by key, defaults included, for adapter-specific keys
 * @param explicitKeys            the keys of {@code all} that were set in the config file or by an
 *                                override (the rest hold their defaults), e.g. to report config sources
 */
public record BrokerSettings(int nodeId, String clusterId, int numPartitions, boolean autoCreateTopics,
                             int socketRequestMaxBytes, long connectionsMaxIdleMs, Map<String, String> all,
                             Set<String> explicitKeys) {

    /** {@code delete.topic.enable}'s key. */
    private static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";

    /**
     * {@code delete.topic.enable} (default true): whether DeleteTopics may delete topics. Read from {@link #all()},
     * which the broker validated, in this one place for the handler and the authorization that both depend on it.
     */
    public boolean topicDeletionEnabled() {
        return !"false".equalsIgnoreCase(all.getOrDefault(DELETE_TOPIC_ENABLE, "true").trim());
    }

    /** {@code max.partitions}'s key. */
    private static final String MAX_PARTITIONS = "max.partitions";

    /**
     * {@code max.partitions} (default {@link Integer#MAX_VALUE}, no limit): the most partitions of all topics together
     * that clients may make the broker hold (CreateTopics, CreatePartitions, auto-creation). Read from {@link #all()},
     * which the broker validated.
     */
    public int maxPartitions() {
        String value = all.get(MAX_PARTITIONS);
        return value == null ? Integer.MAX_VALUE : Integer.parseInt(value.trim());
    }

    /** Settings of which no key counts as explicitly set. */
    public BrokerSettings(int nodeId, String clusterId, int numPartitions, boolean autoCreateTopics,
                          int socketRequestMaxBytes, long connectionsMaxIdleMs, Map<String, String> all) {
        this(nodeId, clusterId, numPartitions, autoCreateTopics, socketRequestMaxBytes, connectionsMaxIdleMs, all,
                Set.of());
    }
}
