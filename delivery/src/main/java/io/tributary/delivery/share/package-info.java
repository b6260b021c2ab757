/**
 * The delivery engine of share groups (Kafka's KIP-932 queues, and next the JMS provider's queues):
 * many members compete for the records of one partition, each record handed to one member at a time
 * under an acquisition lock, and acknowledged, released or rejected one by one.
 *
 * <p>{@link io.tributary.delivery.share.ShareEngine} is the service; {@link
 * io.tributary.delivery.share.SharePartition} is the in-flight window of one (group, partition);
 * {@link io.tributary.delivery.share.ShareMembership} the members of one group and their assigned
 * partitions. Beyond Kafka, the window honours per-record traits an adapter reads from the records
 * ({@link io.tributary.delivery.share.RecordTraits}: deliver-at, expiry, priority, key) and per-group
 * {@link io.tributary.delivery.share.ShareExtensions} (retry backoff, key affinity). Nothing here knows a wire protocol: adapters translate requests into these calls.
 * Depends on {@code io.tributary.delivery} only.
 */
package io.tributary.delivery.share;
