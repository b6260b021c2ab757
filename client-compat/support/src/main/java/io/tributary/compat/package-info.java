/**
 * Test support shared by the client-compatibility modules: {@link io.tributary.compat.ChildBroker} runs a
 * real broker as a child JVM from {@code broker/target} (so each module's test class path may hold a
 * different kafka-clients, or none), {@link io.tributary.compat.ExternalCommand} runs a client program with
 * a hard timeout, and {@link io.tributary.compat.RequiredTool} decides whether a missing program skips a
 * test (a developer machine) or fails it ({@code CI=true}).
 *
 * <p>Depends on the JDK, JUnit's API and the broker test jar's JDK-only child-process launcher
 * ({@code io.tributary.broker.testing}, without any of the broker's dependencies); nothing here imports broker
 * or Kafka classes.
 */
package io.tributary.compat;
