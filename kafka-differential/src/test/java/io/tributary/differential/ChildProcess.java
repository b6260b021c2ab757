package io.tributary.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Small helpers shared by the two child-broker launchers: the java binary, properties files, free loopback
 * ports and a bounded stop of a child process.
 */
final class ChildProcess {
    private ChildProcess() {
    }

    /** The java binary of the JVM running the tests. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code command} with stdout and stderr both appended to {@code output}; killed at JVM exit. */
    static Process start(List<String> command, Path output) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        // A test JVM killed by its fork timeout must not leave a broker behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-child-" + process.pid()));
        return process;
    }

    /** Writes {@code config} as a properties file (values escaped for backslashes) and returns its path. */
    static Path writeProperties(Path file, Map<String, String> config) throws IOException {
        String text = config.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * A port that was free on {@code 127.0.0.1} a moment ago, for a listener whose port must be known before
     * the child starts (Kafka's controller quorum). Another process may take it first; the start then fails
     * loudly instead of testing the wrong server.
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, then SIGKILL if the process has not exited within {@code graceSeconds}. */
    static void stop(Process process, int graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The whole file, or an empty string if it does not exist yet. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The required system property {@code name} (set by the module's pom), as an absolute path. */
    static Path pathProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set (run through Maven)");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
