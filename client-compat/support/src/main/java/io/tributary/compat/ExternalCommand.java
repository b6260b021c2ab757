package io.tributary.compat;

import io.tributary.broker.testing.JvmCommand;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs one external program to completion with a hard timeout. Output goes to files (not pipes, which
 * a child can fill and block on), and comes back as {@link Result} text.
 *
 * <p>Java programs ({@link #java}) share a dynamic class-data-sharing archive of the class path: the first
 * run records the classes it loaded ({@code -XX:ArchiveClassesAtExit}), later runs map them
 * ({@code -XX:SharedArchiveFile}), which cuts the CPU a Kafka tool spends starting by about two thirds — a
 * test module runs a hundred of them. The archive is taken into use only once its recording run has exited
 * (moved into place then); a JVM that cannot use it runs without it. CDS log lines are off, so a tool's
 * output stays its own.
 */
public final class ExternalCommand {
    private static final Path DIR = Path.of("target", "it-commands");
    /** Guards {@link #recordingArchive}: one recording run at a time per test JVM. */
    private static final Object CDS = new Object();
    private static boolean recordingArchive;

    private final List<String> command;
    private final Map<String, String> environment;
    private final String stdin;
    private final Duration timeout;
    /** Where this run records the class-path archive, to be moved to {@link #archive} when it exits; or null. */
    private final Path recording;
    private final Path archive;

    private ExternalCommand(List<String> command, Map<String, String> environment, String stdin, Duration timeout,
                            Path recording, Path archive) {
        this.command = command;
        this.environment = environment;
        this.stdin = stdin;
        this.timeout = timeout;
        this.recording = recording;
        this.archive = archive;
    }

    /** A command with no extra environment, empty standard input and a 30 s timeout. */
    public static ExternalCommand of(List<String> command) {
        return new ExternalCommand(List.copyOf(command), Map.of(), "", Duration.ofSeconds(30), null, null);
    }

    /** A Java program: {@code mainClass}, found in a jar of this JVM's class path, in a child JVM. */
    public static ExternalCommand java(String mainClass, List<String> args) {
        // The jars of this JVM's class path: the programs run this way are tools in jars, and a JVM refuses to
        // record a class-data archive of a class path with (non-empty) directories in it.
        String jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Files.isDirectory(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
        JvmCommand jvm = JvmCommand.withHeap("256m").classPath(jars).option("-Xlog:cds=off,cds+dynamic=off");
        String key = System.getProperty("java.home") + "|" + jars;
        Path archive = DIR.resolve("classes-" + Integer.toHexString(key.hashCode()) + ".jsa").toAbsolutePath();
        Path recording = null;
        if (Files.exists(archive)) {
            jvm.option("-XX:SharedArchiveFile=" + archive);
        } else {
            synchronized (CDS) {
                if (!recordingArchive) {
                    recordingArchive = true;
                    recording = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid()
                            + ".recording");
                    jvm.option("-XX:ArchiveClassesAtExit=" + recording);
                }
            }
        }
        return new ExternalCommand(jvm.run(mainClass, args), Map.of(), "", Duration.ofSeconds(30), recording, archive);
    }

    public ExternalCommand withStdin(String text) {
        return new ExternalCommand(command, environment, text, timeout, recording, archive);
    }

    public ExternalCommand withEnvironment(Map<String, String> extra) {
        return new ExternalCommand(command, Map.copyOf(extra), stdin, timeout, recording, archive);
    }

    public ExternalCommand withTimeout(Duration limit) {
        return new ExternalCommand(command, environment, stdin, limit, recording, archive);
    }

    /**
     * Runs the program and waits for it.
     *
     * @throws AssertionError if it has not exited within the timeout (it is killed; the message holds
     *                        what it printed)
     */
    public Result run() throws IOException, InterruptedException {
        Result result = null;
        try {
            result = runOnce();
            return result;
        } finally {
            if (recording != null) {
                finishRecording(result != null);
            }
        }
    }

    /** Moves a complete recording into place (a killed run's is dropped) and lets another run record. */
    private void finishRecording(boolean exited) throws IOException {
        synchronized (CDS) {
            try {
                if (exited && Files.exists(recording) && !Files.exists(archive)) {
                    Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
                }
            } finally {
                Files.deleteIfExists(recording);
                recordingArchive = false;
            }
        }
    }

    private Result runOnce() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(DIR);
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
