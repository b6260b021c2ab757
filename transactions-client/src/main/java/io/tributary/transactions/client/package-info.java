/**
 * The half-message (RocketMQ-style) transactional producer: {@link io.tributary.transactions.client.TransactionProducer},
 * {@link io.tributary.transactions.client.TransactionListener}, {@link io.tributary.transactions.client.Message} and
 * the results. Speaks the broker's extension APIs (docs/protocol.md) over plain sockets; depends on nothing but
 * the JDK, so an application (a JMS one included) adds it without pulling in broker code.
 */
package io.tributary.transactions.client;
