/**
 * Latency arithmetic: the fixed-rate send schedule, recording into HdrHistogram with
 * coordinated-omission correction, warm-up exclusion, interval sampling, the percentile summary
 * and the {@code .hgrm} / {@code .hlog} files.
 *
 * <p>Depends on HdrHistogram and the JDK only; knows no transport. All recorded values are
 * nanoseconds; everything printed or written as text is milliseconds.
 */
package io.tributary.perf.latency;
