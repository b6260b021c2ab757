package io.tributary.broker.it;

import io.tributary.broker.testing.JvmCommand;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A group member in a child JVM, so that a test can SIGKILL it and the broker sees a member that stops
 * heartbeating without ever sending LeaveGroup ({@link GroupEvictionIT}).
 *
 * <p>Arguments: bootstrap servers, topic, group id, {@code group.protocol}, the offset to commit, seconds to
 * live. It subscribes to the topic; the first time it owns every partition it commits the given offset for
 * each and prints {@value #COMMITTED}. From then on it prints {@value #ASSIGNED} and its partition numbers
 * whenever its assignment changes, and polls without committing again until it is killed — or until its time
 * to live runs out, so that a test JVM that dies cannot leave it behind.
 */
final class ChildConsumer {
    /** Printed once the offsets are committed. */
    static final String COMMITTED = "child-consumer: committed";
    /** Starts the line printed on every change of assignment; the partition numbers follow, comma-separated. */
    static final String ASSIGNED = "child-consumer: assigned ";
    /** session.timeout.ms of classic members; consumer-protocol groups take it from the broker instead. */
    static final int CLASSIC_SESSION_TIMEOUT_MS = 6_000;
    static final int CLASSIC_HEARTBEAT_INTERVAL_MS = 500;

    private ChildConsumer() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String topic = args[1];
        long offset = Long.parseLong(args[4]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));
        try (KafkaConsumer<byte[], byte[]> consumer = member(bootstrap, args[2], args[3])) {
            consumer.subscribe(List.of(topic));
            int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
            boolean committed = false;
            Set<TopicPartition> reported = Set.of();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
                Set<TopicPartition> assignment = Set.copyOf(consumer.assignment());
                if (!committed && assignment.size() == partitions) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    assignment.forEach(tp -> offsets.put(tp, new OffsetAndMetadata(offset)));
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                    committed = true;
                    say(COMMITTED);
                }
                if (committed && !assignment.equals(reported)) {
                    reported = assignment;
                    say(ASSIGNED + assignment.stream().map(TopicPartition::partition).sorted()
                            .map(String::valueOf).collect(Collectors.joining(",")));
                }
            }
        }
        System.exit(0);
    }

    /**
     * A subscribing member of {@code group}: offsets reset to earliest, no auto-commit, and for the classic
     * protocol a 6 s session with 500 ms heartbeats (the consumer protocol rejects both settings on the client).
     */
    static KafkaConsumer<byte[], byte[]> member(String bootstrap, String group, String protocol) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30_000);
        if (protocol.equals("classic")) {
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, CLASSIC_SESSION_TIMEOUT_MS);
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, CLASSIC_HEARTBEAT_INTERVAL_MS);
        }
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Starts this class in a child JVM with the test class path; its output goes to {@code log}. Returns at
     * once; wait for {@link #COMMITTED} with {@link BrokerProcess#awaitLine}.
     */
    static BrokerProcess launch(Path log, String bootstrap, String topic, String group, String protocol, long offset,
                                Duration timeToLive) {
        List<String> command = JvmCommand.withHeap("128m").run(ChildConsumer.class.getName(), List.of(bootstrap, topic,
                group, protocol, Long.toString(offset), Long.toString(timeToLive.toSeconds())));
        return BrokerProcess.launch(command, log, "child-consumer-" + protocol);
    }

    /** The partitions of the last {@link #ASSIGNED} line in {@code output}, or none if there is none yet. */
    static Set<Integer> lastAssigned(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            String line = output.get(i);
            if (line.startsWith(ASSIGNED)) {
                String numbers = line.substring(ASSIGNED.length()).trim();
                return numbers.isEmpty() ? Set.of() : Arrays.stream(numbers.split(","))
                        .map(Integer::valueOf).collect(Collectors.toUnmodifiableSet());
            }
        }
        return Set.of();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
