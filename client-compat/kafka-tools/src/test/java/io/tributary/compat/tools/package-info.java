/**
 * Kafka's own command-line tools ({@code org.apache.kafka:kafka-tools}, with the kafka-clients they were
 * released with) against a broker child process, each tool in its own JVM as {@code bin/kafka-*.sh} runs it.
 */
package io.tributary.compat.tools;
