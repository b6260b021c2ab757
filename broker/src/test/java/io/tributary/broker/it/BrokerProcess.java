package io.tributary.broker.it;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One broker running as a child JVM ({@code io.tributary.broker.Main}); its output is collected line by line. */
public final class BrokerProcess {
    /** The startup line of {@code Main}; group 1 is the first listener's bound port. */
    static final Pattern STARTED = Pattern.compile("Tributary started in \\d+ ms: .* listeners \\[[A-Z_]+://[^:\\]]+:(\\d+)");

    private final Process process;
    private final Path log;
    private final List<String> output = new ArrayList<>();
    private Thread tail;
    private int port = -1;

    private BrokerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with stdout and stderr going to {@code log}, which a thread follows line by
     * line (a file, not a pipe: a pipe read concurrently with the process's exit can lose its last lines).
     */
    static BrokerProcess launch(List<String> command, Path log, String name) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        BrokerProcess broker = new BrokerProcess(process, log);
        broker.tail = new Thread(() -> broker.follow(name), name + "-output");
        broker.tail.setDaemon(true);
        broker.tail.start();
        return broker;
    }

    private void follow(String name) {
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
                        add(name, line.toString());
                        line.setLength(0);
                    } else {
                        line.append(buffer[i]);
                    }
                }
            }
            if (line.length() > 0) {
                add(name, line.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot follow " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void add(String name, String line) {
        System.out.println("[" + name + "] " + line);
        output.add(line);
        Matcher m = STARTED.matcher(line);
        if (m.find()) {
            port = Integer.parseInt(m.group(1));
        }
        notifyAll();
    }

    /**
     * Waits for the startup line and returns the bound port.
     *
     * @throws IllegalStateException if the process exits first
     * @throws TimeoutException      if it does not start in time
     */
    public synchronized int awaitStarted(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (port < 0) {
            if (!process.isAlive()) {
                wait(200); // let the tail thread read the last lines
                if (port < 0) {
                    throw new IllegalStateException("broker exited with " + process.exitValue() + " before starting:\n"
                            + String.join("\n", output));
                }
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("broker did not start within " + timeout + ":\n" + String.join("\n", output));
            }
            wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        }
        return port;
    }

    public String bootstrapServers() {
        synchronized (this) {
            if (port < 0) {
                throw new IllegalStateException("not started");
            }
            return "127.0.0.1:" + port;
        }
    }

    /** SIGTERM, as {@code kill} or a service manager sends. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
        }
        tail.join(10_000);
    }

    /** Waits for the process to end and for its output to be read, and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("broker still running after " + timeout + ":\n" + String.join("\n", output()));
        }
        tail.join(10_000);
        return process.exitValue();
    }

    /** Waits up to {@code timeout} for a line containing {@code text}. */
    public synchronized boolean awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (output.stream().noneMatch(l -> l.contains(text))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return true;
    }

    public synchronized List<String> output() {
        return List.copyOf(output);
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
