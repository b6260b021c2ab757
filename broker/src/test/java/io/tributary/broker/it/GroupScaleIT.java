package io.tributary.broker.it;

import io.tributary.broker.Broker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * 200 real consumers in 20 groups (10 classic, 10 consumer protocol) subscribe to one topic, rebalance and
 * settle; records produced afterwards are read once per group, by the owner of their partition, and committed;
 * then every consumer closes and every group is left empty. A few threads poll the consumers round-robin,
 * each consumer always from the same thread.
 */
@ExtendWith(TributaryExtension.class)
@Timeout(480) // above SETTLE_WITHIN (240 s) plus the 120 s read deadline, so the waits themselves report what is late
@BrokerProperties("group.consumer.heartbeat.interval.ms=" + GroupScaleIT.HEARTBEAT_INTERVAL_MS)
class GroupScaleIT {
    static final int HEARTBEAT_INTERVAL_MS = 1_000;
    private static final String TOPIC = "scale";
    private static final int GROUPS = 20;
    private static final int MEMBERS_PER_GROUP = 10;
    private static final int PARTITIONS = 12;
    private static final int RECORDS_PER_PARTITION = 20;
    private static final int RECORDS = PARTITIONS * RECORDS_PER_PARTITION;
    private static final int POLL_THREADS = 4;
    private static final long ROUND_PAUSE_MS = 100;
    private static final int FETCH_MAX_WAIT_MS = 5_000;
    private static final Duration SETTLE_WITHIN = Duration.ofSeconds(240);
    /** Three heartbeats of either protocol: a reconciliation still under way would show within it. */
    private static final Duration STABLE_FOR = Duration.ofMillis(3L * HEARTBEAT_INTERVAL_MS);

    @Test
    void twoHundredMembersInTwentyGroupsSettleAndReadEachRecordOncePerGroup(Broker broker) throws Exception {
        // Given a topic of 12 partitions and 200 consumers subscribed to it in 20 groups, polled by 4 threads
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Clients.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(15, TimeUnit.SECONDS);
        }
        long started = System.nanoTime();
        List<Member> members = new ArrayList<>();
        List<Poller> pollers = new ArrayList<>();
        for (int t = 0; t < POLL_THREADS; t++) {
            pollers.add(new Poller("group-scale-poller-" + t));
        }
        try {
            for (int g = 0; g < GROUPS; g++) {
                for (int m = 0; m < MEMBERS_PER_GROUP; m++) {
                    Member member = new Member(g, m, bootstrap);
                    members.add(member);
                    pollers.get(members.size() % POLL_THREADS).members.add(member);
                }
            }
            long created = System.nanoTime();
            pollers.forEach(Thread::start);

            // When they rebalance until each group covers every partition exactly once, and that holds for a while
            Map<Member, Set<TopicPartition>> settled = awaitSettled(members, pollers);
            long settledAt = System.nanoTime();
            long cpuMs = TimeUnit.NANOSECONDS.toMillis(((com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
            System.out.printf("GroupScaleIT: %d consumers created in %d ms, settled %d ms after polling began "
                            + "(poll rounds per thread %s); then %d JVM threads, %d MB heap used, %d ms CPU used by "
                            + "this JVM (broker included)%n", members.size(), millis(started, created),
                    millis(created, settledAt), pollers.stream().map(poller -> poller.rounds.get()).toList(),
                    ManagementFactory.getThreadMXBean().getThreadCount(),
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20, cpuMs);

            // Then the broker describes the same assignment, every group stable with all its members
            assertDescribed(bootstrap, settled);
            // and records produced now are read once per group, each by the member owning its partition
            produce(bootstrap);
            awaitConsumed(members, pollers);
            long consumedAt = System.nanoTime();
            assertThat(assignments(members)).as("assignments after consuming").isEqualTo(settled);
            for (Member member : members) {
                for (ConsumerRecord<byte[], byte[]> record : member.read) {
                    assertThat(settled.get(member)).as("%s read %s-%d", member, record.topic(), record.partition())
                            .contains(new TopicPartition(record.topic(), record.partition()));
                }
            }
            for (int g = 0; g < GROUPS; g++) {
                int group = g;
                List<Member> of = members.stream().filter(m -> m.group == group).toList();
                assertThat(of.stream().mapToInt(m -> m.read.size()).sum()).as("records read by group %s", groupId(g))
                        .isEqualTo(RECORDS);
                assertThat(of.stream().flatMap(m -> m.read.stream()).map(r -> new String(r.value(),
                        StandardCharsets.UTF_8)).collect(Collectors.toSet())).as("distinct records read by %s",
                        groupId(g)).hasSize(RECORDS);
            }

            // and every consumer closes cleanly, leaving each group empty with its offsets committed at the end
            long closing = System.nanoTime();
            for (Poller poller : pollers) {
                poller.running = false;
            }
            for (Poller poller : pollers) {
                poller.join(60_000);
                assertThat(poller.isAlive()).as("%s still closing after 60 s", poller.getName()).isFalse();
                assertThat(poller.failures).as("failures of %s", poller.getName()).isEmpty();
            }
            long closed = System.nanoTime();
            assertEmptyWithOffsetsAtEnd(bootstrap);
            System.out.printf("GroupScaleIT: %d records x %d groups consumed in %d ms; all closed in %d ms%n", RECORDS,
                    GROUPS, millis(settledAt, consumedAt), millis(closing, closed));
        } finally {
            for (Poller poller : pollers) {
                poller.running = false;
            }
            for (Poller poller : pollers) {
                if (poller.isAlive()) {
                    poller.join(60_000);
                }
            }
            for (Poller poller : pollers) {
                if (poller.getState() == Thread.State.NEW) {
                    poller.members.forEach(Member::close);
                }
            }
        }
    }

    /**
     * Waits until every group covers every partition exactly once and no member's assignment has changed for
     * {@link #STABLE_FOR} and at least five rounds of every poller; returns those assignments.
     */
    private static Map<Member, Set<TopicPartition>> awaitSettled(List<Member> members, List<Poller> pollers)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_WITHIN.toNanos();
        Map<Member, Set<TopicPartition>> candidate = null;
        long since = 0;
        long[] roundsSince = new long[pollers.size()];
        while (System.nanoTime() < deadline) {
            assertNoFailures(pollers);
            Map<Member, Set<TopicPartition>> now = assignments(members);
            boolean covered = uncovered(members, now).isEmpty();
            if (!covered || !now.equals(candidate)) {
                candidate = covered ? now : null;
                since = System.nanoTime();
                for (int i = 0; i < pollers.size(); i++) {
                    roundsSince[i] = pollers.get(i).rounds.get();
                }
            } else if (System.nanoTime() - since >= STABLE_FOR.toNanos() && enoughRounds(pollers, roundsSince)) {
                return candidate;
            }
            Thread.sleep(50);
        }
        Map<Member, Set<TopicPartition>> last = assignments(members);
        return fail("groups not settled within %s (a stable exact cover of the %d partitions): %s", SETTLE_WITHIN,
                PARTITIONS, uncovered(members, last));
    }

    private static boolean enoughRounds(List<Poller> pollers, long[] roundsSince) {
        for (int i = 0; i < pollers.size(); i++) {
            if (pollers.get(i).rounds.get() < roundsSince[i] + 5) {
                return false;
            }
        }
        return true;
    }

    /** The groups whose members do not own every partition exactly once, with each member's partitions. */
    private static Map<String, List<String>> uncovered(List<Member> members, Map<Member, Set<TopicPartition>> now) {
        Map<String, List<String>> uncovered = new HashMap<>();
        for (int g = 0; g < GROUPS; g++) {
            int group = g;
            List<Member> of = members.stream().filter(m -> m.group == group).toList();
            Set<TopicPartition> union = new HashSet<>();
            int total = 0;
            for (Member member : of) {
                union.addAll(now.get(member));
                total += now.get(member).size();
            }
            if (union.size() != PARTITIONS || total != PARTITIONS) {
                uncovered.put(groupId(g), of.stream().map(m -> m.index + "=" + partitionNumbers(now.get(m))).toList());
            }
        }
        return uncovered;
    }

    /** Cross-checks the settled assignments against DescribeGroups / ConsumerGroupDescribe. */
    private static void assertDescribed(String bootstrap, Map<Member, Set<TopicPartition>> settled) throws Exception {
        List<String> groups = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            groups.add(groupId(g));
        }
        Map<String, Set<TopicPartition>> byClientId = new HashMap<>();
        settled.forEach((member, partitions) -> byClientId.put(member.clientId, partitions));
        try (Admin admin = Clients.admin(bootstrap)) {
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all()
                    .get(30, TimeUnit.SECONDS);
            for (String group : groups) {
                ConsumerGroupDescription description = described.get(group);
                assertThat(description.groupState()).as("state of %s", group).isEqualTo(GroupState.STABLE);
                assertThat(description.members()).as("members of %s", group).hasSize(MEMBERS_PER_GROUP);
                for (MemberDescription member : description.members()) {
                    assertThat(member.assignment().topicPartitions()).as("%s as described", member.clientId())
                            .isEqualTo(byClientId.get(member.clientId()));
                }
            }
        }
    }

    private static void assertEmptyWithOffsetsAtEnd(String bootstrap) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            for (int g = 0; g < GROUPS; g++) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(groupId(g))).all()
                        .get(30, TimeUnit.SECONDS).get(groupId(g));
                assertThat(description.members()).as("members of %s after close", groupId(g)).isEmpty();
                assertThat(description.groupState()).as("state of %s after close", groupId(g))
                        .isEqualTo(GroupState.EMPTY);
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId(g))
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertThat(offsets).as("offsets committed by %s", groupId(g)).hasSize(PARTITIONS);
                assertThat(offsets.values()).as("offsets committed by %s", groupId(g))
                        .allSatisfy(o -> assertThat(o.offset()).isEqualTo(RECORDS_PER_PARTITION));
            }
        }
    }

    private static void produce(String bootstrap) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of())) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, null, (p + "@" + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    /** Waits until each group has read and committed {@link #RECORDS} records (deadline sized for a loaded 2-core machine). */
    private static void awaitConsumed(List<Member> members, List<Poller> pollers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertNoFailures(pollers);
            if (members.stream().mapToInt(m -> m.read.size()).sum() >= GROUPS * RECORDS) {
                return;
            }
            Thread.sleep(50);
        }
        Map<String, Integer> read = new HashMap<>();
        members.forEach(m -> read.merge(groupId(m.group), m.read.size(), Integer::sum));
        fail("not every group read its %d records within 120 s: %s", RECORDS, read);
    }

    private static void assertNoFailures(List<Poller> pollers) {
        for (Poller poller : pollers) {
            if (!poller.failures.isEmpty()) {
                AssertionError failure = new AssertionError(poller.getName() + " failed", poller.failures.peek());
                failure.printStackTrace(System.out);
                throw failure;
            }
        }
    }

    private static Map<Member, Set<TopicPartition>> assignments(List<Member> members) {
        Map<Member, Set<TopicPartition>> map = new HashMap<>();
        members.forEach(m -> map.put(m, m.assignment));
        return map;
    }

    private static String groupId(int group) {
        return (group % 2 == 0 ? "classic-" : "consumer-") + group;
    }

    private static List<Integer> partitionNumbers(Set<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }

    /** One consumer; only its poller thread touches the consumer, others read what it publishes. */
    private static final class Member {
        final int group;
        final int index;
        final String clientId;
        final KafkaConsumer<byte[], byte[]> consumer;
        /** What this member read, appended only after the commit that covers it succeeded. */
        final List<ConsumerRecord<byte[], byte[]>> read = new CopyOnWriteArrayList<>();
        volatile Set<TopicPartition> assignment = Set.of();

        Member(int group, int index, String bootstrap) {
            this.group = group;
            this.index = index;
            this.clientId = groupId(group) + "-member-" + index;
            String protocol = group % 2 == 0 ? "classic" : "consumer";
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(group));
            p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // 200 idle members each re-sending an empty fetch every 500 ms (the default) keep two cores busy;
            // a produce wakes a parked fetch, so a longer wait costs no latency
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
            if (protocol.equals("classic")) {
                // existing members learn of a rebalance from a heartbeat; the default 3 s would slow settling
                p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
            }
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(TOPIC));
        }

        /** Polls without waiting; commits and records what came back. Returns the number of records. */
        int poll() {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ZERO);
            if (!records.isEmpty()) {
                consumer.commitSync(Duration.ofSeconds(10));
                records.forEach(read::add);
            }
            assignment = Set.copyOf(consumer.assignment());
            return records.count();
        }

        void close() {
            consumer.close(Duration.ofSeconds(10));
        }

        @Override
        public String toString() {
            return clientId;
        }
    }

    /** A thread that polls its members round-robin until told to stop, then closes them. */
    private static final class Poller extends Thread {
        final List<Member> members = new ArrayList<>();
        final AtomicLong rounds = new AtomicLong();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        volatile boolean running = true;
        private Member current;

        Poller(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (running) {
                    int records = 0;
                    for (Member member : members) {
                        current = member;
                        records += member.poll();
                    }
                    rounds.incrementAndGet();
                    if (records == 0) {
                        // every poll wakes a consumer-protocol member's background thread; polling 200 of them
                        // back to back starves a two-core machine
                        Thread.sleep(ROUND_PAUSE_MS);
                    }
                }
            } catch (Throwable t) {
                failures.add(new AssertionError(current + " failed", t));
            } finally {
                for (Member member : members) {
                    try {
                        member.close();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }
        }
    }
}
