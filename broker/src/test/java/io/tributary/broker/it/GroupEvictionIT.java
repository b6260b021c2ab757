package io.tributary.broker.it;

import io.tributary.broker.Broker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A member that stops heartbeating without leaving — a consumer in a child JVM killed with SIGKILL — is
 * evicted after its session timeout, not before, and its partitions go to the member that is left, which
 * resumes from the offsets the dead member committed. Over both group protocols.
 */
@ExtendWith(TributaryExtension.class)
@Timeout(150)
@BrokerProperties({"group.consumer.session.timeout.ms=" + GroupEvictionIT.SESSION_TIMEOUT_MS,
        "group.consumer.heartbeat.interval.ms=" + ChildConsumer.CLASSIC_HEARTBEAT_INTERVAL_MS})
class GroupEvictionIT {
    /** The same for both protocols: the classic members ask for it, the consumer-protocol broker sets it. */
    static final int SESSION_TIMEOUT_MS = ChildConsumer.CLASSIC_SESSION_TIMEOUT_MS;
    /**
     * Eviction must not come sooner: the session less the heartbeat interval (the last heartbeat came before the
     * kill), less room for a child that a busy machine kept from heartbeating on time. Evicting when the
     * connection drops, or a heartbeat interval after the kill, falls below it.
     */
    private static final long EARLIEST_TAKEOVER_MS = SESSION_TIMEOUT_MS - ChildConsumer.CLASSIC_HEARTBEAT_INTERVAL_MS - 1_500;
    /** Nor much later: a few heartbeats and a rebalance, with room for a busy machine. */
    private static final long LATEST_TAKEOVER_MS = SESSION_TIMEOUT_MS + 14_000;
    private static final int PARTITIONS = 4;
    private static final int RECORDS_BEFORE = 40;
    private static final int COMMITTED = 20;
    private static final int RECORDS_AFTER = 10;
    private static final int END = RECORDS_BEFORE + RECORDS_AFTER;

    @TempDir
    Path dir;
    private BrokerProcess child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.kill();
        }
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    void killedMemberIsEvictedAfterItsSessionAndItsCommittedOffsetsAreKept(String protocol, Broker broker)
            throws Exception {
        // Given 40 records in each of 4 partitions, and a member in a child JVM that owned them all and committed 20
        String bootstrap = broker.bootstrapServers();
        String topic = "evict-" + protocol;
        String group = "evict-" + protocol;
        try (Admin admin = Clients.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(15, TimeUnit.SECONDS);
        }
        produce(bootstrap, topic, 0, RECORDS_BEFORE);
        child = ChildConsumer.launch(dir.resolve("child.out"), bootstrap, topic, group, protocol, COMMITTED,
                Duration.ofSeconds(140));
        assertThat(child.awaitLine(ChildConsumer.COMMITTED, Duration.ofSeconds(60)))
                .as("child consumer committed; its output:\n%s", String.join("\n", child.output())).isTrue();
        assertThat(committed(bootstrap, group, topic)).as("offsets the child committed")
                .isEqualTo(everyPartitionAt(COMMITTED));
        Map<Integer, List<Long>> read = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> survivor = ChildConsumer.member(bootstrap, group, protocol)) {
            // and a second member in this JVM that shares the partitions with it and has committed its own progress
            survivor.subscribe(List.of(topic));
            Set<Integer> childOwned = awaitShared(survivor, read, Duration.ofSeconds(60));
            survivor.commitSync(Duration.ofSeconds(10));

            // When the child is killed, so it never sends LeaveGroup, and more records arrive
            long killedAt = System.nanoTime();
            child.kill();
            produce(bootstrap, topic, RECORDS_BEFORE, RECORDS_AFTER);
            long takeoverMs = awaitAll(survivor, read, killedAt, Duration.ofMillis(LATEST_TAKEOVER_MS + 10_000));
            awaitRead(survivor, read, END, Duration.ofSeconds(30));
            survivor.commitSync(Duration.ofSeconds(10));
            System.out.printf("group.protocol=%s: the survivor owned every partition %d ms after the kill "
                    + "(session timeout %d ms); the child had owned %s%n", protocol, takeoverMs, SESSION_TIMEOUT_MS,
                    childOwned);

            // Then the survivor took over after about the session timeout, not before
            assertThat(takeoverMs).as("ms from SIGKILL to the survivor owning every partition")
                    .isBetween(EARLIEST_TAKEOVER_MS, LATEST_TAKEOVER_MS);
            // and read the child's partitions from the child's committed offset on, and nothing below it anywhere
            for (int p : childOwned) {
                assertThat(read.get(p)).as("offsets read from the child's partition %d", p).isNotEmpty();
                assertThat(read.get(p).get(0)).as("first offset read from the child's partition %d", p)
                        .isEqualTo(COMMITTED);
            }
            Set<Long> expected = LongStream.range(COMMITTED, END).boxed()
                    .collect(Collectors.toSet());
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(new TreeSet<>(read.get(p))).as("offsets read from partition %d", p)
                        .containsExactlyElementsOf(new TreeSet<>(expected));
            }
        }
        assertThat(committed(bootstrap, group, topic)).as("offsets the survivor committed at the end")
                .isEqualTo(everyPartitionAt(END));
    }

    /**
     * Polls the survivor until it and the child (by the child's last printed assignment) split the partitions
     * between them, both non-empty, the split has held for two seconds, and the survivor has read its share to
     * the end. Returns the child's partitions.
     */
    private Set<Integer> awaitShared(KafkaConsumer<byte[], byte[]> survivor, Map<Integer, List<Long>> read,
                                     Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> split = null;
        long splitSince = 0;
        while (System.nanoTime() < deadline) {
            poll(survivor, read);
            Set<Integer> mine = partitions(survivor.assignment());
            Set<Integer> theirs = ChildConsumer.lastAssigned(child.output());
            Set<Integer> union = new HashSet<>(mine);
            union.addAll(theirs);
            boolean shared = !mine.isEmpty() && !theirs.isEmpty() && union.size() == PARTITIONS
                    && mine.size() + theirs.size() == PARTITIONS;
            if (!shared || !theirs.equals(split)) {
                split = shared ? theirs : null;
                splitSince = System.nanoTime();
                continue;
            }
            boolean caughtUp = survivor.assignment().stream().allMatch(tp -> survivor.position(tp) == RECORDS_BEFORE);
            if (caughtUp && System.nanoTime() - splitSince > TimeUnit.SECONDS.toNanos(2)) {
                return theirs;
            }
        }
        return fail("the survivor (%s) and the child (%s) did not share the partitions within %s; child output:%n%s",
                survivor.assignment(), ChildConsumer.lastAssigned(child.output()), timeout,
                String.join("\n", child.output()));
    }

    /** Polls until the survivor owns every partition; returns the milliseconds since {@code since}. */
    private static long awaitAll(KafkaConsumer<byte[], byte[]> survivor, Map<Integer, List<Long>> read, long since,
                                 Duration timeout) {
        long deadline = since + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            poll(survivor, read);
            if (survivor.assignment().size() == PARTITIONS) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            }
        }
        return fail("the survivor owns only %s %s after the kill", survivor.assignment(), timeout);
    }

    /** Polls until the survivor's position in every partition is {@code end}. */
    private static void awaitRead(KafkaConsumer<byte[], byte[]> survivor, Map<Integer, List<Long>> read, long end,
                                  Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            poll(survivor, read);
            if (survivor.assignment().stream().allMatch(tp -> survivor.position(tp) == end)) {
                return;
            }
        }
        fail("the survivor did not read to offset %d within %s; it read %s", end, timeout, read);
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, Map<Integer, List<Long>> read) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            assertThat(new String(record.value(), StandardCharsets.UTF_8))
                    .isEqualTo(value(record.partition(), record.offset()));
            read.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.offset());
        }
    }

    private static void produce(String bootstrap, String topic, int from, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of())) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = from; i < from + count; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, value(p, i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    /** Each record says where it belongs, so a record read at the wrong place shows. */
    private static String value(int partition, long offset) {
        return partition + "@" + offset;
    }

    private static Map<Integer, Long> committed(String bootstrap, String group, String topic) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            Map<Integer, Long> byPartition = new HashMap<>();
            offsets.forEach((tp, o) -> {
                if (tp.topic().equals(topic) && o != null) {
                    byPartition.put(tp.partition(), o.offset());
                }
            });
            return byPartition;
        }
    }

    private static Map<Integer, Long> everyPartitionAt(long offset) {
        Map<Integer, Long> map = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            map.put(p, offset);
        }
        return map;
    }

    private static Set<Integer> partitions(Set<TopicPartition> assignment) {
        return assignment.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }
}
