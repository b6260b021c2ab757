package io.tributary.broker.it;

import io.tributary.broker.testing.JvmCommand;
import io.tributary.broker.testing.PropertiesFile;
import io.tributary.broker.testing.TributaryProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts brokers as child JVMs ({@code java -cp <test class path> io.tributary.broker.Main <file>}), all over
 * the same data directory so a test can kill one and start the next. Children still running at the end
 * of the test are killed by {@link TributaryExtension}.
 */
public final class BrokerProcesses {
    private final Path dataDir;
    private final Map<String, String> properties;
    private final List<BrokerProcess> started = new ArrayList<>();
    /** Config files and output files of the children; deleted with the data directory. */
    private final List<Path> files = new ArrayList<>();

    BrokerProcesses(Path dataDir, Map<String, String> properties) {
        this.dataDir = dataDir;
        this.properties = properties;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Writes a config file (loopback, port 0, the data directory, the test's {@link BrokerProperties},
     * then {@code extra} pairs) and starts {@code Main} with it. Returns at once; call
     * {@link BrokerProcess#awaitStarted} to wait for the port.
     */
    public BrokerProcess start(String... extra) throws IOException {
        Map<String, String> config = TributaryProcess.baseConfig(dataDir);
        config.putAll(properties);
        PropertiesFile.putPairs(config, extra);
        Path file = PropertiesFile.write(
                dataDir.resolveSibling(dataDir.getFileName() + "-" + started.size() + ".properties"), config);
        files.add(file);
        return startWithArgs(file.toString());
    }

    /** Starts {@code Main} with exactly these arguments, on the test class path with a 256 MiB heap. */
    public BrokerProcess startWithArgs(String... args) {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-broker-" + started.size() + ".out");
        files.add(log);
        List<String> command = JvmCommand.withHeap("256m").run(TributaryProcess.MAIN, List.of(args));
        BrokerProcess process = BrokerProcess.launch(command, log, "broker-" + started.size());
        started.add(process);
        return process;
    }

    /** Kills every child still running. */
    void killAll() throws InterruptedException {
        for (BrokerProcess process : started) {
            if (process.isAlive()) {
                process.kill();
            }
        }
    }

    /** The children's config and output files, next to the data directory. */
    List<Path> files() {
        return List.copyOf(files);
    }
}
