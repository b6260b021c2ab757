/**
 * The Kafka wire protocol adapter: {@link io.tributary.kafka.KafkaProtocolAdapterProvider} (found
 * with {@code ServiceLoader}, protocol {@code kafka}) starts a {@link io.tributary.kafka.KafkaProtocolAdapter}
 * per listener. Depends on protocol-spi, core-log and disruptor-pipeline public APIs, Netty and
 * kafka-clients; no kafka-clients type appears in this package's public API.
 */
package io.tributary.kafka;
