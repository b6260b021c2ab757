/**
 * Consumer-group coordination, independent of any wire protocol: the classic join/sync protocol,
 * the KIP-848 heartbeat-driven consumer protocol, and committed offsets. The Kafka adapter
 * translates requests into calls on {@link io.tributary.delivery.group.GroupCoordinator}; JMS
 * durable subscriptions will use the same coordinator.
 *
 * <p>Threading: each group is its own single writer. Every state change of a group, whether it
 * comes from a request thread, a timer of the {@link io.tributary.delivery.group.GroupScheduler}
 * or a durable-write completion, runs while holding that group's monitor, and nothing else
 * mutates it. Different groups proceed in parallel. Delayed results (join, sync, commit) are
 * {@link java.util.concurrent.CompletableFuture}s that may complete on any of those threads:
 * dependents must not block.
 *
 * <p>Depends on: the JDK, slf4j, and the sub-packages {@code assignor} and {@code store}. Knows
 * no protocol: metadata and assignments of the classic protocol are opaque bytes.
 */
package io.tributary.delivery.group;
