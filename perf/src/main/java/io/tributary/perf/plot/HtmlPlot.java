package io.tributary.perf.plot;

import java.util.List;
import java.util.Locale;

/**
 * Draws overlaid {@link LatencyCurve}s as a self-contained HTML page with an inline SVG: one
 * {@code <polyline class="series">} per curve (its label in {@code data-label} and a
 * {@code <title>} tooltip), a legend, and a table of the main percentiles under the chart.
 */
public final class HtmlPlot {

    private static final double[] TABLE_PERCENTILES = {0.5, 0.9, 0.99, 0.999, 0.9999, 1.0};

    private HtmlPlot() {
    }

    /** The complete HTML document. */
    public static String render(List<LatencyCurve> curves, String title, int width, int height, YScale scale) {
        PlotLayout l = new PlotLayout(width, height, curves, scale);
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;margin:20px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "</style></head><body>\n<h3>").append(escape(title)).append("</h3>\n");
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
                width, height));
        grid(sb, l);
        for (int s = 0; s < curves.size(); s++) {
            series(sb, l, curves.get(s), s);
        }
        legend(sb, curves);
        sb.append("</svg>\n");
        table(sb, curves);
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void grid(StringBuilder sb, PlotLayout l) {
        double top = PlotLayout.TOP;
        double bottom = PlotLayout.TOP + l.plotHeight();
        double left = PlotLayout.LEFT;
        double right = PlotLayout.LEFT + l.plotWidth();
        for (int d = 0; d <= PercentileAxis.MAX_DECADES; d++) {
            double x = l.xDecade(d);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    x, top, x, bottom, x, bottom + 18, PercentileAxis.tickLabel(d)));
        }
        for (int i = 0; i <= l.yTickCount(); i++) {
            double y = l.y(l.yTickValue(i));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    left, y, right, y, left - 8, y + 4, l.yTickLabel(i)));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"black\"/>%n", left, top, l.plotWidth(), l.plotHeight()));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">percentile</text>%n",
                left + l.plotWidth() / 2.0, bottom + 40));
        sb.append(String.format(Locale.ROOT, "<text transform=\"translate(22 %.1f) rotate(-90)\" "
                + "text-anchor=\"middle\">%s</text>%n", top + l.plotHeight() / 2.0,
                l.scale == YScale.LOG ? "latency (ms, log)" : "latency (ms)"));
    }

    private static void series(StringBuilder sb, PlotLayout l, LatencyCurve c, int s) {
        sb.append("<polyline class=\"series\" data-label=\"").append(escape(c.label()))
                .append("\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(PlotLayout.color(s))
                .append("\" points=\"");
        for (int i = 0; i < c.percentiles().length; i++) {
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", l.x(c.percentiles()[i]), l.y(c.millis()[i])));
        }
        sb.append("\"><title>").append(escape(c.label())).append("</title></polyline>\n");
    }

    private static void legend(StringBuilder sb, List<LatencyCurve> curves) {
        int x = PlotLayout.LEFT + 15;
        int y = PlotLayout.TOP + 20;
        for (int s = 0; s < curves.size(); s++) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"4\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y - 9, PlotLayout.color(s), x + 24, y - 3,
                    escape(curves.get(s).label())));
            y += 18;
        }
    }

    private static void table(StringBuilder sb, List<LatencyCurve> curves) {
        sb.append("<table><tr><th>series (ms)</th>");
        for (double p : TABLE_PERCENTILES) {
            sb.append("<th>").append(p == 1.0 ? "max" : String.format(Locale.ROOT, "p%s", trim(p * 100))).append("</th>");
        }
        sb.append("</tr>\n");
        for (LatencyCurve c : curves) {
            sb.append("<tr><td style=\"text-align:left\">").append(escape(c.label())).append("</td>");
            for (double p : TABLE_PERCENTILES) {
                sb.append(String.format(Locale.ROOT, "<td>%.3f</td>", valueAt(c, p)));
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    /** The latency of the first point at or above percentile {@code p} (the last point if none). */
    static double valueAt(LatencyCurve c, double p) {
        double[] ps = c.percentiles();
        for (int i = 0; i < ps.length; i++) {
            if (ps[i] >= p - 1e-12) {
                return c.millis()[i];
            }
        }
        return ps.length == 0 ? Double.NaN : c.millis()[ps.length - 1];
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
