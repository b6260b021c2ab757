/**
 * The Kafka-protocol transport, on kafka-clients: {@code KafkaProducer}, {@code KafkaConsumer},
 * {@code Admin}. Registered as {@code kafka}. Only this package imports kafka-clients.
 */
package io.tributary.perf.transport.kafka;
