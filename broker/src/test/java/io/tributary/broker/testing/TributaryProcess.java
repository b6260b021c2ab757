package io.tributary.broker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tributary ({@code io.tributary.broker.Main}) running as a child JVM: a {@link ChildProcess} that knows the
 * broker's startup line and so its bound port.
 */
public final class TributaryProcess {
    /** {@code Main}'s startup line; group 1 is the first listener's bound port. */
    public static final Pattern STARTED =
            Pattern.compile("Tributary started in \\d+ ms: .* listeners \\[[A-Z_]+://[^:\\]]+:(\\d+)");
    /** The main class the child runs. */
    public static final String MAIN = "io.tributary.broker.Main";

    private final ChildProcess child;
    private volatile int port = -1;

    private TributaryProcess(ChildProcess child) {
        this.child = child;
    }

    /** A Tributary over a child already started with {@code Main}'s command line. */
    public static TributaryProcess of(ChildProcess child) {
        return new TributaryProcess(child);
    }

    /**
     * Starts {@code Main} with {@code args} on {@code jvm}'s class path, output appended to {@code log}, and
     * returns at once; {@link #awaitStarted} waits for the port.
     */
    public static TributaryProcess launch(String name, JvmCommand jvm, List<String> args, Path log,
                                          ChildProcess.Echo echo) {
        return new TributaryProcess(ChildProcess.start(name, jvm.run(MAIN, args), log, echo));
    }

    /**
     * Starts a broker over {@code runDir}: data in {@code runDir/data}, its configuration ({@link #baseConfig}
     * then {@code settings}) in {@code runDir/broker.properties}, its output in {@code runDir/broker.out}, a
     * 256 MiB heap, on {@code classPath}; returns once it has printed its bound port.
     *
     * @throws IllegalStateException if it exits or does not start within {@code timeout} (the message holds its
     *                               output); the child is stopped first
     */
    public static TributaryProcess startIn(Path runDir, String classPath, Map<String, String> settings,
                                           Duration timeout) throws IOException, InterruptedException {
        Path dataDir = Files.createDirectories(runDir.resolve("data"));
        Map<String, String> config = baseConfig(dataDir);
        config.putAll(settings);
        Path properties = PropertiesFile.write(runDir.resolve("broker.properties"), config);
        TributaryProcess broker = launch(runDir.getFileName().toString(),
                JvmCommand.withHeap("256m").classPath(classPath), List.of(properties.toString()),
                runDir.resolve("broker.out"), ChildProcess.Echo.NONE);
        try {
            broker.awaitStarted(timeout);
            return broker;
        } catch (TimeoutException e) {
            broker.child.stop(Duration.ofSeconds(1));
            throw new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            broker.child.stop(Duration.ofSeconds(1));
            throw e;
        }
    }

    /** A loopback listener on an ephemeral port and {@code log.dirs} = {@code dataDir}, in a mutable map. */
    public static Map<String, String> baseConfig(Path dataDir) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", "PLAINTEXT://127.0.0.1:0");
        config.put("log.dirs", dataDir.toString());
        return config;
    }

    /**
     * Waits for the startup line and returns the bound port.
     *
     * @throws IllegalStateException if the broker exits first
     * @throws TimeoutException      if it does not start in time
     */
    public int awaitStarted(Duration timeout) throws InterruptedException, TimeoutException {
        Matcher started = child.awaitMatch(STARTED, timeout);
        port = Integer.parseInt(started.group(1));
        return port;
    }

    /** The bound port of the first listener. @throws IllegalStateException before {@link #awaitStarted} */
    public int port() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    /** {@code 127.0.0.1:<port>}. @throws IllegalStateException before {@link #awaitStarted} */
    public String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    /** The child process: output, signals, exit. */
    public ChildProcess child() {
        return child;
    }
}
