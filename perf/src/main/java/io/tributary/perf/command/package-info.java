/**
 * The subcommands of {@code tributary-perf}: {@code produce}, {@code latency}, {@code consume},
 * {@code e2e} and {@code plot}. Each parses its options and wires a workload to a transport and
 * the output files; the work itself is in {@code workload}, {@code latency} and {@code plot}.
 */
package io.tributary.perf.command;
