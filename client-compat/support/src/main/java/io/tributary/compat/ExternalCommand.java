package io.tributary.compat;

import io.tributary.broker.testing.JvmCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program to completion with a hard timeout. Output goes to files (not pipes, which
 * a child can fill and block on), and comes back as {@link Result} text.
 */
public final class ExternalCommand {
    private final List<String> command;
    private final Map<String, String> environment;
    private final String stdin;
    private final Duration timeout;

    private ExternalCommand(List<String> command, Map<String, String> environment, String stdin, Duration timeout) {
        this.command = command;
        this.environment = environment;
        this.stdin = stdin;
        this.timeout = timeout;
    }

    /** A command with no extra environment, empty standard input and a 30 s timeout. */
    public static ExternalCommand of(List<String> command) {
        return new ExternalCommand(List.copyOf(command), Map.of(), "", Duration.ofSeconds(30));
    }

    /** A Java program: {@code mainClass} in a child JVM on this JVM's class path. */
    public static ExternalCommand java(String mainClass, List<String> args) {
        return of(JvmCommand.withHeap("256m").run(mainClass, args));
    }

    public ExternalCommand withStdin(String text) {
        return new ExternalCommand(command, environment, text, timeout);
    }

    public ExternalCommand withEnvironment(Map<String, String> extra) {
        return new ExternalCommand(command, Map.copyOf(extra), stdin, timeout);
    }

    public ExternalCommand withTimeout(Duration limit) {
        return new ExternalCommand(command, environment, stdin, limit);
    }

    /**
     * Runs the program and waits for it.
     *
     * @throws AssertionError if it has not exited within the timeout (it is killed; the message holds
     *                        what it printed)
     */
    public Result run() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "it-commands"));
        Path in = Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), stdin);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Result result = new Result(command, exited ? process.exitValue() : -1, read(out), read(err));
        // One line per external run in the test's output file: which client call took the time.
        System.out.printf("%5d ms, exit %d: %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                result.exitCode(), result.commandLine());
        Files.deleteIfExists(in);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (!exited) {
            throw new AssertionError("timed out after " + timeout + ": " + result);
        }
        return result;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** What a finished program returned and printed. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Standard output split into lines, blank lines dropped. */
        public List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }

        /** Asserts exit code 0 and returns this result. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("expected exit 0: " + this);
            }
            return this;
        }

        /** The command, with a class path shortened to its length: failure messages stay readable. */
        private String commandLine() {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < command.size(); i++) {
                boolean classPath = i > 0 && command.get(i - 1).equals("-cp");
                line.append(i == 0 ? "" : " ")
                        .append(classPath ? "<class path of " + command.get(i).length() + " chars>" : command.get(i));
            }
            return line.toString();
        }

        @Override
        public String toString() {
            return commandLine() + "\nexit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
