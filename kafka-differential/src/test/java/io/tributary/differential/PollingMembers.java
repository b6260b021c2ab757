package io.tributary.differential;

import static io.tributary.differential.Consumers.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Consumers of one group, each polling {@code topic} on its own thread (a KafkaConsumer is single-threaded)
 * until closed; close stops and joins them within a bound.
 */
final class PollingMembers implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped;
    private final CountDownLatch assigned;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    PollingMembers(ChildBroker broker, String group, String protocol, String topic, int count) {
        this(broker, group, protocol, topic, count, Map.of());
    }

    PollingMembers(ChildBroker broker, String group, String protocol, String topic, int count,
                   Map<String, String> extra) {
        stopped = new CountDownLatch(count);
        assigned = new CountDownLatch(count);
        Map<String, String> config = new java.util.HashMap<>(extra);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker, group, "earliest",
                        config)) {
                    consumer.subscribe(List.of(topic));
                    boolean counted = false;
                    while (running.get()) {
                        ConsumerRecords<byte[], byte[]> ignored = consumer.poll(Duration.ofMillis(100));
                        ignored.count();
                        if (!counted && !consumer.assignment().isEmpty()) {
                            assigned.countDown();
                            counted = true;
                        }
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                } finally {
                    stopped.countDown();
                }
            }, group + "-member-" + i);
            threads.add(thread);
            thread.start();
        }
    }

    /** Waits up to 20 s until every member has had a non-empty assignment. */
    void awaitAssigned() throws InterruptedException {
        if (!assigned.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("group members not assigned within 20 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        if (!stopped.await(30, TimeUnit.SECONDS)) {
            threads.forEach(Thread::interrupt);
            throw new IllegalStateException("group members did not stop within 30 s");
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a group member failed", failures.get(0));
        }
    }
}
