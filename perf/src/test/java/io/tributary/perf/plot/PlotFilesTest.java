package io.tributary.perf.plot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.perf.latency.HistogramFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PlotFilesTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static Histogram uniformMs(int fromMs, int toMs) {
        Histogram h = new Histogram(3);
        for (int ms = fromMs; ms <= toMs; ms++) {
            h.recordValue(ms * 1_000_000L);
        }
        return h;
    }

    @Test
    void pngDecodesAtTheRequestedSizeWithEachSeriesInItsColour() throws Exception {
        // Given two curves
        List<LatencyCurve> curves = List.of(
                LatencyCurve.fromHistogram("tributary", uniformMs(1, 100), 1e6),
                LatencyCurve.fromHistogram("kafka", uniformMs(50, 200), 1e6));
        // When drawn to a 640x400 PNG
        Path png = dir.resolve("p.png");
        PngPlot.write(curves, "t", 640, 400, YScale.LINEAR, png);
        // Then ImageIO reads it back at that size, and both series colours are on it
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(400);
        assertThat(countPixels(img, PlotLayout.color(0))).isGreaterThan(50);
        assertThat(countPixels(img, PlotLayout.color(1))).isGreaterThan(50);
    }

    private static int countPixels(BufferedImage img, String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void htmlHasOneSeriesPerInputWithItsLabel() throws Exception {
        // Given three curves, one label needing escaping
        List<LatencyCurve> curves = List.of(
                LatencyCurve.fromHistogram("a", uniformMs(1, 10), 1e6),
                LatencyCurve.fromHistogram("b <sync>", uniformMs(1, 20), 1e6),
                LatencyCurve.fromHistogram("c", uniformMs(1, 30), 1e6));
        // When both files are written
        PlotFiles.write(curves, "Tributary vs Kafka", dir.resolve("cmp"));
        String html = Files.readString(dir.resolve("cmp.html"));
        // Then the page is self-contained SVG with exactly three series, in order
        assertThat(html).contains("<svg", "Tributary vs Kafka").doesNotContain("<script", "http://cdn");
        Matcher m = Pattern.compile("<polyline class=\"series\" data-label=\"([^\"]*)\"").matcher(html);
        StringBuilder labels = new StringBuilder();
        while (m.find()) {
            labels.append(m.group(1)).append('|');
        }
        assertThat(labels.toString()).isEqualTo("a|b &lt;sync&gt;|c|");
        assertThat(Files.size(dir.resolve("cmp.png"))).isGreaterThan(1000);
    }

    @Test
    void svgPointsGrowAlongBothAxes() {
        // Given one rising curve
        LatencyCurve c = LatencyCurve.fromHistogram("x", uniformMs(1, 1000), 1e6);
        PlotLayout l = new PlotLayout(1000, 600, List.of(c));
        // Then x grows with the percentile and y (pixels) falls as latency grows
        double[] p = c.percentiles();
        for (int i = 1; i < p.length; i++) {
            assertThat(l.x(p[i])).isGreaterThanOrEqualTo(l.x(p[i - 1]));
            assertThat(l.y(c.millis()[i])).isLessThanOrEqualTo(l.y(c.millis()[i - 1]));
        }
        // and the y axis ends at a round number at or above the maximum
        assertThat(l.yMax).isEqualTo(1000.0);
    }

    @Test
    void curvesFromHgrmAndHlogMatchTheHistogram() throws Exception {
        // Given a histogram written as .hgrm
        Histogram h = uniformMs(1, 500);
        Path hgrm = dir.resolve("r.hgrm");
        HistogramFiles.writeHgrm(h, hgrm);
        // When read back as a curve
        LatencyCurve fromFile = LatencyCurve.load("r", hgrm, 1);
        LatencyCurve direct = LatencyCurve.fromHistogram("r", h, 1e6);
        // Then it has the same points (the file rounds values to 3 decimals of a ms)
        assertThat(fromFile.percentiles().length).isEqualTo(direct.percentiles().length);
        for (int i = 0; i < direct.percentiles().length; i++) {
            assertThat(fromFile.millis()[i]).isCloseTo(direct.millis()[i], org.assertj.core.data.Offset.offset(0.001));
            assertThat(fromFile.percentiles()[i]).isCloseTo(direct.percentiles()[i],
                    org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(HtmlPlot.valueAt(fromFile, 0.5)).isBetween(249.0, 251.0);
    }

    @Test
    void logScaleSpacesDecadesEvenlyAndSpansTheData() {
        // Given curves from 0.5 ms to 18,000 ms
        Histogram wide = new Histogram(3);
        wide.recordValue(500_000L);
        wide.recordValue(18_000_000_000L);
        PlotLayout l = new PlotLayout(1000, 600, List.of(LatencyCurve.fromHistogram("w", wide, 1e6)), YScale.LOG);
        // Then the axis runs from 0.1 ms to 100,000 ms, one tick per decade, evenly spaced
        assertThat(l.yMin).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(l.yMax).isEqualTo(100_000.0);
        assertThat(l.yTickCount()).isEqualTo(6);
        assertThat(l.yTickLabel(0)).isEqualTo("0.1");
        assertThat(l.yTickLabel(6)).isEqualTo("100000");
        assertThat(l.y(1) - l.y(10)).isCloseTo(l.y(100) - l.y(1000), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(l.y(0.1)).isEqualTo(PlotLayout.TOP + l.plotHeight());
    }

    @Test
    void percentileAxisIsLogOfOneOverOneMinusP() {
        assertThat(PercentileAxis.position(0)).isZero();
        assertThat(PercentileAxis.position(0.9)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(PercentileAxis.position(0.999)).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(PercentileAxis.position(1.0)).isEqualTo(5);
        assertThat(PercentileAxis.position(0.9999999)).isEqualTo(5);
        assertThat(PercentileAxis.tickLabel(5)).isEqualTo("99.999%");
    }

    @Test
    void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(PlotLayout.niceStep(0.13)).isEqualTo(0.2);
        assertThat(PlotLayout.niceStep(3.1)).isEqualTo(5.0);
        assertThat(PlotLayout.niceStep(200)).isEqualTo(200.0);
        assertThat(PlotLayout.niceStep(21)).isEqualTo(25.0);
    }
}
