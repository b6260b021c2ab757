package io.tributary.broker.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process whose stdout and stderr are appended to a log file, which a daemon thread follows line by line
 * (a file, not a pipe: a pipe read concurrently with the process's exit can lose its last lines, and the file
 * stays for a look after a failure).
 *
 * <p>Every child still alive when the test JVM exits (a fork timeout, a test that forgot to stop it) is killed,
 * so none outlives the build.
 */
public final class ChildProcess {
    /** Whether the followed lines are also printed to the test's stdout, prefixed with {@code [name]}. */
    public enum Echo { NONE, STDOUT }

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-child-processes"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final Echo echo;
    private final List<String> lines = new ArrayList<>();
    private final Thread follower;
    /** Set once the process has exited and its whole log has been read. */
    private boolean done;

    private ChildProcess(String name, Process process, Path log, Echo echo) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.echo = echo;
        this.follower = new Thread(this::follow, name + "-output");
        this.follower.setDaemon(true);
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code log} and returns at once.
     *
     * @throws UncheckedIOException if the process cannot be started
     */
    public static ChildProcess start(String name, List<String> command, Path log, Echo echo) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        ChildProcess child = new ChildProcess(name, process, log, echo);
        child.follower.start();
        return child;
    }

    private void follow() {
        try (Reader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            char[] buffer = new char[8192];
            while (true) {
                boolean exited = !process.isAlive();
                int n = reader.read(buffer);
                if (n < 0) {
                    if (exited) {
                        break;
                    }
                    Thread.sleep(10);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        add(line.toString());
                        line.setLength(0);
                    } else {
                        line.append(buffer[i]);
                    }
                }
            }
            if (line.length() > 0) {
                add(line.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot follow " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                done = true;
                notifyAll();
            }
        }
    }

    private synchronized void add(String line) {
        if (echo == Echo.STDOUT) {
            System.out.println("[" + name + "] " + line);
        }
        lines.add(line);
        notifyAll();
    }

    public String name() {
        return name;
    }

    /** The file the child's output is appended to. */
    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code. @throws IllegalThreadStateException if the process is still running */
    public int exitValue() {
        return process.exitValue();
    }

    /** The lines followed so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The whole log file as it is now (including output of earlier processes appended to the same file). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /**
     * Waits for the first line in which {@code pattern} is found and returns its matcher.
     *
     * @throws IllegalStateException if the process exits without printing such a line (the message holds its
     *                               output)
     * @throws TimeoutException      if no such line comes within {@code timeout}
     */
    public synchronized Matcher awaitMatch(Pattern pattern, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                Matcher m = pattern.matcher(lines.get(checked));
                if (m.find()) {
                    return m;
                }
            }
            if (done) {
                String end = process.isAlive() ? "is no longer followed" : "exited with " + process.exitValue();
                throw new IllegalStateException(name + " " + end + " before printing /" + pattern + "/:\n"
                        + String.join("\n", lines));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(name + " printed no /" + pattern + "/ within " + timeout + ":\n"
                        + String.join("\n", lines));
            }
            wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    /** Waits up to {@code timeout} for a line containing {@code text}; false if none came (or the process ended). */
    public synchronized boolean awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.stream().noneMatch(l -> l.contains(text))) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || done) {
                return false;
            }
            wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        }
        return true;
    }

    /** SIGTERM, as {@code kill} or a service manager sends; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /**
     * SIGKILL, and waits until the process is gone and its output read.
     *
     * @throws IllegalStateException if it survives SIGKILL for 30 s
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
        follower.join(10_000);
    }

    /**
     * SIGTERM, then SIGKILL if the process has not exited within {@code grace}; waits up to 10 s more for it
     * to go. When interrupted, sends SIGKILL before throwing.
     */
    public void stop(Duration grace) throws InterruptedException {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * Waits for the process to end and for its output to be read, and returns its exit code.
     *
     * @throws TimeoutException if it is still running after {@code timeout} (the message holds its output)
     */
    public int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(name + " still running after " + timeout + ":\n" + String.join("\n", lines()));
        }
        follower.join(10_000);
        return process.exitValue();
    }
}
