/**
 * The Tributary extension APIs for half messages (RocketMQ-style transactions with check-back) on the
 * Kafka listener: SendHalf, EndHalf and PollCheck under API keys from 32000, Kafka's request header v2 and
 * bodies of Kafka's flexible-version types, laid out in docs/protocol.md. The bodies are
 * {@link org.apache.kafka.common.protocol.ApiMessage}s so the connection layer frames and orders their
 * responses like Kafka's; the handlers call the broker's one
 * {@link io.tributary.transactions.HalfTransactionCoordinator}. May depend on the network and api
 * packages and on the transactions module.
 */
package io.tributary.kafka.half;
