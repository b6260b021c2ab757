/**
 * Differential tests: each scenario runs with the Java kafka-clients against a real Apache Kafka broker and
 * against Tributary (both child JVMs, see {@link io.tributary.differential.BrokerPair}), and asserts that the
 * client sees the same thing from both: exception classes, error codes, offsets, counts and assignment shapes.
 * Where Tributary differs, the test still asserts Kafka's behaviour and is disabled with the difference as reason
 * (listed in {@code docs/differential-tests.md}).
 */
package io.tributary.differential;
