/**
 * Command-line plumbing: declared options ({@link io.tributary.perf.cli.OptionSpec}), their parsing
 * ({@link io.tributary.perf.cli.Options}) and generated usage text. No workload logic.
 */
package io.tributary.perf.cli;
