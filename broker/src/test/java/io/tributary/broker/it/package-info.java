/**
 * Integration tests with real Kafka clients against a real broker, in-process or as a child process, all
 * through {@link io.tributary.broker.it.TributaryExtension}. Classes named {@code *IT} run in
 * {@code mvn verify} (failsafe).
 */
package io.tributary.broker.it;
