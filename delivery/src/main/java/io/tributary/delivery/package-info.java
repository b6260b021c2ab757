/**
 * Tributary's delivery layer: everything about who consumes what, independent of any protocol.
 * This package holds the value types shared by its sub-packages; {@code group} holds consumer-group
 * coordination and committed offsets, {@code group.assignor} the server-side partition assignors,
 * {@code group.store} the durable group state in the log, {@code internal.records} a JDK-only
 * v2 record batch codec.
 *
 * <p>Depends on core-log, disruptor-pipeline, slf4j and the JDK; never on a protocol library.
 */
package io.tributary.delivery;
