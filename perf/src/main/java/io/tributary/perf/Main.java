package io.tributary.perf;

import io.tributary.perf.cli.Command;
import io.tributary.perf.cli.OptionSpec;
import io.tributary.perf.cli.Options;
import io.tributary.perf.cli.UsageException;
import io.tributary.perf.command.CompactCommand;
import io.tributary.perf.command.ConsumeCommand;
import io.tributary.perf.command.EndToEndCommand;
import io.tributary.perf.command.FuzzCommand;
import io.tributary.perf.command.HalfCommand;
import io.tributary.perf.command.PlotCommand;
import io.tributary.perf.command.ProduceCommand;
import io.tributary.perf.command.ShareConsumeCommand;
import io.tributary.perf.command.StallCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Entry point: {@code tributary-perf SUBCOMMAND [options]}; {@code --help} on each. */
public final class Main {

    /** Exit code of a command-line mistake. */
    static final int USAGE = 2;

    private static final List<Command> COMMANDS = List.of(
            ProduceCommand.throughput(), ProduceCommand.fixedRate(), new ConsumeCommand(),
            new EndToEndCommand(), new ShareConsumeCommand(), new PlotCommand(), new CompactCommand(),
            new FuzzCommand(), new HalfCommand(), new StallCommand());

    private Main() {
    }

    /** Runs and exits with the command's code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code args}; returns the exit code (0 ok, 1 run failed, 2 usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(overview());
            return args.length == 0 ? USAGE : 0;
        }
        Command cmd = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (cmd == null) {
            err.println("unknown subcommand '" + args[0] + "'");
            err.print(overview());
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        List<OptionSpec> specs = new ArrayList<>(cmd.options());
        specs.add(OptionSpec.flag("help", "print this help"));
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            out.print(Options.usage(cmd.description(), specs));
            return 0;
        }
        try {
            return cmd.run(Options.parse(specs, rest), out, err);
        } catch (UsageException | IllegalArgumentException e) {
            err.println(cmd.name() + ": " + e.getMessage());
            err.println("see: tributary-perf " + cmd.name() + " --help");
            return USAGE;
        } catch (Exception e) {
            err.println(cmd.name() + ": failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** The list of subcommands. */
    static String overview() {
        StringBuilder sb = new StringBuilder("Usage: tributary-perf SUBCOMMAND [options]   (SUBCOMMAND --help for its options)\n\n");
        for (Command c : COMMANDS) {
            sb.append(String.format(Locale.ROOT, "  %-9s %s%n", c.name(), c.summary()));
        }
        return sb.toString();
    }
}
