/**
 * Kafka's consumer-group APIs over the protocol-independent
 * {@link io.tributary.delivery.group.GroupCoordinator}: one handler per API, translating the
 * generated kafka-clients request classes into coordinator calls and the results back, plus the
 * few helpers they share (error codes, topic ids, the coordinator's lifecycle). This node is the
 * coordinator of every group. Depends on the {@code api} and {@code network} packages of this
 * module, on delivery, core-log and kafka-clients' message classes.
 */
package io.tributary.kafka.group;
