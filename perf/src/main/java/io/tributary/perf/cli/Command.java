package io.tributary.perf.cli;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of {@code tributary-perf}. */
public interface Command {

    /** The word that selects it, e.g. {@code produce}. */
    String name();

    /** One line for the list of subcommands. */
    String summary();

    /** The text before the option list in {@code --help}: synopsis and what it does. */
    String description();

    /** The options it accepts ({@code --help} is added by the caller). */
    List<OptionSpec> options();

    /**
     * Runs with parsed {@code options}; results to {@code out}, progress to {@code err}.
     * Returns the process exit code.
     */
    int run(Options options, PrintStream out, PrintStream err) throws Exception;
}
