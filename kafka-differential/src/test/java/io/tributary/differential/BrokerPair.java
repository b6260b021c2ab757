package io.tributary.differential;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A real Kafka broker and a Tributary broker started with the same behaviour-relevant settings, so that a
 * difference in what a client sees is a difference between the servers, not between their defaults.
 */
final class BrokerPair implements AutoCloseable {
    /**
     * Set identically on both: no auto-creation (scenarios create what they use), one partition by default,
     * no initial rebalance delay, the timestamp bound the producer scenario crosses (Kafka 4's default), and a
     * segment size that differs from the default, so that config scenarios can see a static broker setting.
     */
    static final Map<String, String> COMMON = Map.of(
            "auto.create.topics.enable", "false",
            "num.partitions", "1",
            "group.initial.rebalance.delay.ms", "0",
            "log.message.timestamp.after.max.ms", "3600000",
            "log.segment.bytes", "104857600");

    private final KafkaBroker kafka;
    private final TributaryBroker tributary;

    private BrokerPair(KafkaBroker kafka, TributaryBroker tributary) {
        this.kafka = kafka;
        this.tributary = tributary;
    }

    /** Starts Tributary, then Kafka, both with {@link #COMMON}; stops whichever started if the other fails. */
    static BrokerPair start() throws IOException, InterruptedException {
        TributaryBroker tributary = TributaryBroker.start(COMMON);
        try {
            return new BrokerPair(KafkaBroker.start(COMMON), tributary);
        } catch (IOException | RuntimeException | InterruptedException e) {
            tributary.close();
            throw e;
        }
    }

    ChildBroker kafka() {
        return kafka;
    }

    ChildBroker tributary() {
        return tributary;
    }

    /** Kafka first, then Tributary. */
    List<ChildBroker> both() {
        return List.of(kafka, tributary);
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            tributary.close();
        }
    }
}
