package io.tributary.differential;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A real Kafka broker and a Tributary broker started with the same behaviour-relevant settings, so that a
 * difference in what a client sees is a difference between the servers, not between their defaults.
 */
final class BrokerPair implements AutoCloseable {
    /**
     * Set identically on both: no auto-creation (scenarios create what they use), one partition by default,
     * no initial rebalance delay, the timestamp bound the producer scenario crosses (Kafka 4's default), and a
     * segment size that differs from the default, so that config scenarios can see a static broker setting,
     * and a 1 s consumer-protocol heartbeat instead of 5 s, so that those groups settle in seconds, and a 1 s log
     * cleaner back-off instead of 15 s, so that compaction scenarios see both cleaners work within seconds, and a
     * 1 s lower bound on a share group's record lock (15 s by default), so that lock-expiry scenarios wait seconds,
     * and a 1 s check for timed-out transactions (10 s by default), so that timeout scenarios wait seconds.
     */
    static final Map<String, String> COMMON = Map.of(
            "auto.create.topics.enable", "false",
            "num.partitions", "1",
            "group.initial.rebalance.delay.ms", "0",
            "log.message.timestamp.after.max.ms", "3600000",
            "log.segment.bytes", "104857600",
            "group.consumer.heartbeat.interval.ms", "1000",
            "log.cleaner.backoff.ms", "1000",
            "group.share.min.record.lock.duration.ms", "1000",
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");

    /** Kafka only: its lower bound on the consumer-protocol heartbeat interval (5 s by default) must allow 1 s. */
    static final Map<String, String> KAFKA_ONLY = Map.of("group.consumer.min.heartbeat.interval.ms", "1000");

    private final KafkaBroker kafka;
    private final TributaryBroker tributary;
    private final ClientListener listener;

    private BrokerPair(KafkaBroker kafka, TributaryBroker tributary, ClientListener listener) {
        this.kafka = kafka;
        this.tributary = tributary;
        this.listener = listener;
    }

    /**
     * Starts Kafka on a helper thread while Tributary starts on this one (Kafka takes seconds longer), both with
     * {@link #COMMON} (Kafka also with {@link #KAFKA_ONLY}); stops whichever started if the other fails.
     */
    static BrokerPair start() throws IOException, InterruptedException {
        return start(COMMON, KAFKA_ONLY, ClientListener.PLAINTEXT);
    }

    /**
     * Starts Kafka on a helper thread while Tributary starts on this one, both with {@code common} and clients
     * reaching them on {@code listener} (Tributary's {@code listeners} is that protocol on an ephemeral loopback
     * port), Kafka also with {@code kafkaOnly} — what its own cluster plumbing needs (controller and inter-broker
     * listeners), never a setting whose effect the scenarios compare.
     */
    static BrokerPair start(Map<String, String> common, Map<String, String> kafkaOnly, ClientListener listener)
            throws IOException, InterruptedException {
        FutureTask<KafkaBroker> kafkaStart = new FutureTask<>(() -> {
            Map<String, String> settings = new HashMap<>(common);
            settings.putAll(kafkaOnly);
            return KafkaBroker.start(settings, listener);
        });
        Thread starter = new Thread(kafkaStart, "kafka-broker-start");
        starter.start();
        TributaryBroker tributary = null;
        try {
            Map<String, String> tributarySettings = new HashMap<>(common);
            tributarySettings.put("listeners", listener.protocol() + "://127.0.0.1:0");
            tributary = TributaryBroker.start(tributarySettings);
            return new BrokerPair(kafkaStart.get(), tributary, listener);
        } catch (ExecutionException e) {
            tributary.close();
            throw new IllegalStateException("kafka did not start", e.getCause());
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (tributary != null) {
                tributary.close();
            }
            stopWhenStarted(kafkaStart, starter, e);
            throw e;
        }
    }

    /**
     * Waits for an abandoned Kafka start to end (it has its own timeout) and stops the broker if it started;
     * if that start failed too, its cause is added to {@code primary} as suppressed.
     */
    private static void stopWhenStarted(FutureTask<KafkaBroker> kafkaStart, Thread starter, Exception primary)
            throws InterruptedException {
        starter.join();
        try {
            kafkaStart.get().close();
        } catch (ExecutionException e) {
            primary.addSuppressed(e.getCause());
        }
    }

    ChildBroker kafka() {
        return kafka;
    }

    ChildBroker tributary() {
        return tributary;
    }

    /** How clients reach both brokers: the listener's protocol and the settings every Admin of the pair gets. */
    ClientListener listener() {
        return listener;
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
