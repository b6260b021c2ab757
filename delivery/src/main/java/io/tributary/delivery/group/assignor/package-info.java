/**
 * Server-side partition assignors of the KIP-848 consumer protocol: {@code uniform} (balanced and
 * sticky) and {@code range} (contiguous ranges per topic). Pure functions of an
 * {@link io.tributary.delivery.group.assignor.AssignmentSpec}; no state, no threads, no I/O.
 * Depends only on {@link io.tributary.delivery.TopicPartition} and the JDK.
 */
package io.tributary.delivery.group.assignor;
