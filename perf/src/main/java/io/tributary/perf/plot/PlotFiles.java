package io.tributary.perf.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a plot both ways: {@code BASE.png} and {@code BASE.html}. */
public final class PlotFiles {

    /** Default picture size in pixels. */
    public static final int WIDTH = 1000;
    /** Default picture size in pixels. */
    public static final int HEIGHT = 600;

    private PlotFiles() {
    }

    /** Writes {@code base + ".png"} and {@code base + ".html"} at the default size. */
    public static void write(List<LatencyCurve> curves, String title, Path base) throws IOException {
        write(curves, title, base, WIDTH, HEIGHT, YScale.LINEAR);
    }

    /** Writes {@code base + ".png"} and {@code base + ".html"} at {@code width} × {@code height}. */
    public static void write(List<LatencyCurve> curves, String title, Path base, int width, int height,
                             YScale scale) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        String name = base.getFileName().toString();
        PngPlot.write(curves, title, width, height, scale, dir.resolve(name + ".png"));
        Files.writeString(dir.resolve(name + ".html"), HtmlPlot.render(curves, title, width, height, scale),
                StandardCharsets.UTF_8);
    }
}
