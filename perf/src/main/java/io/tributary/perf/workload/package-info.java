/**
 * The workloads: open-loop producers on a {@link io.tributary.perf.latency.SendSchedule},
 * consumers, end-to-end runs, key choice, payloads, progress lines and the files a run leaves.
 *
 * <p>Talks to brokers only through {@link io.tributary.perf.transport}; records latencies through
 * {@link io.tributary.perf.latency}.
 */
package io.tributary.perf.workload;
