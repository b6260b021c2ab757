package io.tributary.perf.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Draws overlaid {@link LatencyCurve}s into a PNG with Java2D (works headless). */
public final class PngPlot {

    private PngPlot() {
    }

    /** Renders the plot as an image of {@code width} × {@code height} pixels, y axis {@code scale}. */
    public static BufferedImage render(List<LatencyCurve> curves, String title, int width, int height,
                                       YScale scale) {
        PlotLayout l = new PlotLayout(width, height, curves, scale);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            drawGrid(g, l);
            drawCurves(g, l, curves);
            drawLegend(g, curves);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, PlotLayout.LEFT, 28);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes {@code file} as PNG. */
    public static void write(List<LatencyCurve> curves, String title, int width, int height, YScale scale,
                             Path file) throws IOException {
        if (!ImageIO.write(render(curves, title, width, height, scale), "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    private static void drawGrid(Graphics2D g, PlotLayout l) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int top = PlotLayout.TOP;
        int bottom = PlotLayout.TOP + l.plotHeight();
        int left = PlotLayout.LEFT;
        int right = PlotLayout.LEFT + l.plotWidth();
        for (int d = 0; d <= PercentileAxis.MAX_DECADES; d++) {
            int x = (int) Math.round(l.xDecade(d));
            g.setColor(new Color(0xDD, 0xDD, 0xDD));
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.DARK_GRAY);
            String s = PercentileAxis.tickLabel(d);
            g.drawString(s, x - fm.stringWidth(s) / 2, bottom + 18);
        }
        for (int i = 0; i <= l.yTickCount(); i++) {
            int y = (int) Math.round(l.y(l.yTickValue(i)));
            g.setColor(new Color(0xDD, 0xDD, 0xDD));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String s = l.yTickLabel(i);
            g.drawString(s, left - 8 - fm.stringWidth(s), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, l.plotWidth(), l.plotHeight());
        g.drawString("percentile", left + l.plotWidth() / 2 - 30, bottom + 40);
        g.rotate(-Math.PI / 2);
        g.drawString(l.scale == YScale.LOG ? "latency (ms, log)" : "latency (ms)", -(top + l.plotHeight() / 2 + 35), 22);
        g.rotate(Math.PI / 2);
    }

    private static void drawCurves(Graphics2D g, PlotLayout l, List<LatencyCurve> curves) {
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < curves.size(); s++) {
            LatencyCurve c = curves.get(s);
            if (c.percentiles().length == 0) {
                continue;
            }
            Path2D.Double path = new Path2D.Double();
            path.moveTo(l.x(c.percentiles()[0]), l.y(c.millis()[0]));
            for (int i = 1; i < c.percentiles().length; i++) {
                path.lineTo(l.x(c.percentiles()[i]), l.y(c.millis()[i]));
            }
            g.setColor(Color.decode(PlotLayout.color(s)));
            g.draw(path);
        }
    }

    private static void drawLegend(Graphics2D g, List<LatencyCurve> curves) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x = PlotLayout.LEFT + 15;
        int y = PlotLayout.TOP + 20;
        for (int s = 0; s < curves.size(); s++) {
            g.setColor(Color.decode(PlotLayout.color(s)));
            g.fillRect(x, y - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(curves.get(s).label(), x + 24, y - 3);
            y += 18;
        }
    }
}
