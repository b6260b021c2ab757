/**
 * Third-party clients against a broker child process: kcat and confluent-kafka-python (both librdkafka),
 * kafka-python, kafkajs, Spring Kafka and Kafka Streams. The non-Java clients run as external programs found on the machine; see
 * {@link io.tributary.compat.RequiredTool} for what happens when one is missing.
 */
package io.tributary.compat.clients;
