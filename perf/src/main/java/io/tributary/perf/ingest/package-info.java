/**
 * Ingest throughput benchmark: {@link io.tributary.perf.ingest.IngestBenchmark} drives the
 * {@code disruptor-pipeline} over a fresh {@code core-log} directly (no network), compared with the
 * raw sequential write speed of the same disk as measured by {@code dd}. Depends on the pipeline and
 * core-log public APIs only.
 */
package io.tributary.perf.ingest;
