package io.tributary.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void everySubcommandHasHelp() {
        for (String cmd : new String[] {"produce", "latency", "consume", "e2e", "share-consume", "plot", "fuzz", "half", "stall"}) {
            out.reset();
            assertThat(run(cmd, "--help")).as(cmd).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(cmd)
                    .contains("Usage: tributary-perf " + cmd, "Options:", "--help");
        }
    }

    @Test
    void overviewListsTheSubcommandsAndUnknownOnesAreUsageErrors() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("produce", "latency", "consume", "e2e", "share-consume", "plot");
        assertThat(run("frobnicate")).isEqualTo(Main.USAGE);
        assertThat(run("produce", "--no-such-option")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --no-such-option");
    }

    @Test
    void plotOverlaysLabelledFiles() throws Exception {
        // Given two .hgrm files
        for (String name : new String[] {"t", "k"}) {
            Histogram h = new Histogram(3);
            for (int i = 1; i <= 100; i++) {
                h.recordValue(i * (name.equals("t") ? 1_000_000L : 2_000_000L));
            }
            io.tributary.perf.latency.HistogramFiles.writeHgrm(h, dir.resolve(name + ".hgrm"));
        }
        // When plotted with labels
        int code = run("plot", "--out", dir.resolve("cmp").toString(), "--width", "500", "--height", "300",
                "Tributary=" + dir.resolve("t.hgrm"), "Kafka=" + dir.resolve("k.hgrm"));
        // Then both pictures exist, with both labels in the HTML
        assertThat(code).isZero();
        assertThat(Files.readString(dir.resolve("cmp.html"))).contains("data-label=\"Tributary\"", "data-label=\"Kafka\"");
        assertThat(javax.imageio.ImageIO.read(dir.resolve("cmp.png").toFile()).getWidth()).isEqualTo(500);
    }
}
