/**
 * Latency-by-percentile plots: curves from histograms or {@code .hgrm}/{@code .hlog} files,
 * overlaid on the usual log-scale percentile axis (x = log10(1/(1-p)), 0 % .. 99.999 %),
 * drawn as a PNG (Java2D, headless) and as a self-contained HTML page with inline SVG.
 *
 * <p>Depends on the JDK, HdrHistogram and {@code latency} only.
 */
package io.tributary.perf.plot;
