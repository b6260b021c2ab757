/**
 * The Java client of Kafka 3.9 ({@code kafka-clients} from the root pom's {@code kafka3.version}) against a
 * broker child process: the broker needs kafka-clients 4.x, and one class path holds one version.
 */
package io.tributary.compat.kafka3;
