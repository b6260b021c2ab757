/**
 * Child processes for tests in every module that starts Tributary (or another server) in its own JVM: the
 * command line ({@link io.tributary.broker.testing.JvmCommand}, {@link io.tributary.broker.testing.BrokerClassPath}),
 * a running child with its output captured to a file and followed line by line
 * ({@link io.tributary.broker.testing.ChildProcess}), and a Tributary child that knows its startup line and bound
 * port ({@link io.tributary.broker.testing.TributaryProcess}).
 *
 * <p>Published in the broker's test jar and used by {@code broker}'s integration tests, {@code client-compat} and
 * {@code kafka-differential}. Depends on the JDK only: its users exclude every transitive dependency of the
 * broker, so that their class path keeps their own kafka-clients and logging backend.
 */
package io.tributary.broker.testing;
