/**
 * Hostile input for the Kafka listener: {@link io.tributary.kafka.fuzz.FrameMutator}, the one seeded
 * mutator of request frames that the suite's short fuzz run ({@code RequestFuzzIT}) and the long
 * benchmark run ({@code tributary-perf fuzz}) both use. Plain Java; depends on nothing else here.
 */
package io.tributary.kafka.fuzz;
