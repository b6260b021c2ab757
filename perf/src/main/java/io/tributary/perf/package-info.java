/**
 * {@code tributary-perf}: the load generator. {@link io.tributary.perf.Main} dispatches to the
 * subcommands in {@code command}; {@code transport} is the protocol seam (Kafka now, JMS later),
 * {@code latency} the HdrHistogram arithmetic, {@code workload} the producer/consumer loops and
 * {@code plot} the percentile charts.
 */
package io.tributary.perf;
