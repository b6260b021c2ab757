package io.tributary.broker.it;

import io.tributary.broker.testing.ChildProcess;
import io.tributary.broker.testing.TributaryProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One child JVM of a test in this package, usually a broker ({@code io.tributary.broker.Main}): a
 * {@link TributaryProcess} whose output is also echoed to the test's stdout, line by line.
 */
public final class BrokerProcess {
    private final TributaryProcess broker;

    private BrokerProcess(TributaryProcess broker) {
        this.broker = broker;
    }

    /** Starts {@code command} with stdout and stderr going to {@code log}; see {@link ChildProcess}. */
    static BrokerProcess launch(List<String> command, Path log, String name) {
        return new BrokerProcess(TributaryProcess.of(ChildProcess.start(name, command, log, ChildProcess.Echo.STDOUT)));
    }

    /**
     * Waits for the startup line and returns the bound port.
     *
     * @throws IllegalStateException if the process exits first
     * @throws TimeoutException      if it does not start in time
     */
    public int awaitStarted(Duration timeout) throws InterruptedException, TimeoutException {
        return broker.awaitStarted(timeout);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** SIGTERM, as {@code kill} or a service manager sends. */
    public void terminate() {
        broker.child().terminate();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        broker.child().kill();
    }

    /** Waits for the process to end and for its output to be read, and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
        return broker.child().awaitExit(timeout);
    }

    /** Waits up to {@code timeout} for a line containing {@code text}. */
    public boolean awaitLine(String text, Duration timeout) throws InterruptedException {
        return broker.child().awaitLine(text, timeout);
    }

    public List<String> output() {
        return broker.child().lines();
    }

    boolean isAlive() {
        return broker.child().isAlive();
    }
}
