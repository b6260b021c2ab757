package io.tributary.perf.plot;

/** How the latency (y) axis of a plot is scaled. */
public enum YScale {
    /** From 0 to a round value above the largest latency; the usual HdrHistogram chart. */
    LINEAR,
    /** Decades from below the smallest to above the largest latency; for curves far apart. */
    LOG
}
