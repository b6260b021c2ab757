package io.tributary.differential;

import io.tributary.broker.testing.ChildProcess;
import java.time.Duration;

/**
 * One broker under test, running as a child JVM on {@code 127.0.0.1}: Apache Kafka or Tributary.
 */
public interface ChildBroker extends AutoCloseable {

    /** A short name for assertion messages: {@code kafka} or {@code tributary}. */
    String name();

    /** {@code 127.0.0.1:<port>} of the client listener. */
    String bootstrapServers();

    /** Everything the broker has printed so far, for failure messages. */
    String output();

    /** Stops the child JVM: SIGTERM, then SIGKILL after a grace period. Never throws. */
    @Override
    void close();

    /**
     * SIGTERM, then SIGKILL after {@code grace}, for {@link #close}: never throws; when interrupted the child is
     * killed and the interrupt kept.
     */
    static void stop(ChildProcess child, Duration grace) {
        try {
            child.stop(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
