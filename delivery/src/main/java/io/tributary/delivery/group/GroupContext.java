package io.tributary.delivery.group;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/** The services every part of the coordinator shares. */
final class GroupContext {
    private static final Logger LOG = LoggerFactory.getLogger(GroupContext.class);

    final GroupConfig config;
    final GroupScheduler scheduler;
    final GroupStore store;
    final GroupRegistry registry;
    final TopicMetadata topics;

    GroupContext(GroupConfig config, GroupScheduler scheduler, GroupStore store, GroupRegistry registry,
                 TopicMetadata topics) {
        this.config = config;
        this.scheduler = scheduler;
        this.store = store;
        this.registry = registry;
        this.topics = topics;
    }

    long now() {
        return scheduler.nowMs();
    }

    /** Writes a group's metadata without waiting; a failure is logged, since replay only needs the latest. */
    void persistMetadata(Group group) {
        store.write(List.of(group.metadataRecord())).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("could not persist metadata of group {}: {}", group.groupId, error.toString());
            }
        });
    }

    /** Kafka's classic member id form: the client id, a dash, a random UUID. */
    static String newClassicMemberId(String clientId) {
        return (clientId == null ? "" : clientId) + "-" + UUID.randomUUID();
    }

    /** A random 22-character URL-safe id, as KIP-848 member ids are. */
    static String newConsumerMemberId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
