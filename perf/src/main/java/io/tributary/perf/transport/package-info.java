/**
 * The seam between the workloads and a messaging protocol: a {@link io.tributary.perf.transport.Transport}
 * makes {@link io.tributary.perf.transport.ProducerDriver}s and
 * {@link io.tributary.perf.transport.ConsumerDriver}s from protocol-neutral settings.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} through
 * {@link io.tributary.perf.transport.TransportProvider}, so a JMS transport is a new package (or jar)
 * beside {@code transport.kafka}, not a change to the workloads. Nothing here imports a client library.
 */
package io.tributary.perf.transport;
