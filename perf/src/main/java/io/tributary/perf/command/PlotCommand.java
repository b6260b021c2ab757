package io.tributary.perf.command;

import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import io.tributary.perf.cli.UsageException;
import io.tributary.perf.plot.LatencyCurve;
import io.tributary.perf.plot.PlotFiles;
import io.tributary.perf.plot.YScale;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code plot}: overlays the latency curves of several {@code .hgrm} / {@code .hlog} files. */
public final class PlotCommand implements Command {

    @Override
    public String name() {
        return "plot";
    }

    @Override
    public String summary() {
        return "overlay .hgrm/.hlog files of several runs in one latency-by-percentile plot";
    }

    @Override
    public String description() {
        return """
                Usage: tributary-perf plot [options] [LABEL=]FILE...

                Draws one curve per FILE (an .hgrm percentile distribution, values in ms as this tool
                writes them, or an .hlog of this tool, whose untagged intervals are summed) on the
                log-scale percentile axis (0% .. 99.999%), latency in ms. Writes OUT.png and OUT.html.
                Without LABEL= the file name is the label.""";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.value("out", "BASE", "latency", "output path without extension"),
                OptionSpec.value("title", "TEXT", "Latency by percentile", "chart title"),
                OptionSpec.value("width", "PX", Integer.toString(PlotFiles.WIDTH), "picture width"),
                OptionSpec.value("height", "PX", Integer.toString(PlotFiles.HEIGHT), "picture height"),
                OptionSpec.value("hgrm-units-per-ms", "X", "1", "divide .hgrm values by X to get ms"),
                OptionSpec.flag("log-y", "logarithmic latency axis (for curves far apart)"));
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) throws Exception {
        if (o.positional().isEmpty()) {
            throw new UsageException("give at least one [LABEL=]FILE");
        }
        List<LatencyCurve> curves = new ArrayList<>();
        for (String arg : o.positional()) {
            int eq = arg.indexOf('=');
            Path file = Path.of(eq > 0 ? arg.substring(eq + 1) : arg);
            String label = eq > 0 ? arg.substring(0, eq) : file.getFileName().toString();
            if (!Files.isReadable(file)) {
                throw new UsageException("cannot read " + file);
            }
            curves.add(LatencyCurve.load(label, file, o.doubleValue("hgrm-units-per-ms")));
        }
        Path base = Path.of(o.required("out"));
        if (base.toAbsolutePath().getParent() != null) {
            Files.createDirectories(base.toAbsolutePath().getParent());
        }
        PlotFiles.write(curves, o.required("title"), base, o.intValue("width"), o.intValue("height"),
                o.flag("log-y") ? YScale.LOG : YScale.LINEAR);
        out.println("wrote " + base + ".png and " + base + ".html (" + curves.size() + " series)");
        return 0;
    }
}
