package io.tributary.broker.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of a broker child process while a share consumer accepts records one poll at a time and an acks=all
 * producer is still producing: after a restart on the same directory no record whose acceptance the broker
 * confirmed is delivered again, and every record produced (acknowledged to an acks=all producer, before or during
 * the consuming run) and not confirmed accepted is delivered. Among them, records delayed beyond the group's deferral horizon, which left
 * the window (the start moved past them) before the kill, come when due.
 */
@ExtendWith(TributaryExtension.class)
@Timeout(180)
@BrokerProperties("log.flush.policy=sync")
class ShareCrashIT {
    private static final String TOPIC = "share-crash";
    private static final String GROUP = "share-crash-group";
    private static final int RECORDS = 3_000;
    private static final long DEADLINE_MS = 90_000;
    private static final int DELAYED = 20;
    private static final long DELAY_MS = 12_000;
    private static final int LIVE_BEFORE_KILL = 50;

    @Test
    void acceptedRecordsAreNotRedeliveredAndTheOthersAreAfterSigkill(BrokerProcesses brokers) throws Exception {
        // Given a share consumer that reads from the share partition's start (the first record it gets)
        BrokerProcess first = brokers.start();
        first.awaitStarted(Duration.ofSeconds(30));
        Set<String> produced = ConcurrentHashMap.newKeySet();
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        Set<String> uncertain = ConcurrentHashMap.newKeySet();
        AtomicInteger liveAcked = new AtomicInteger();
        try (Admin admin = Clients.admin(first.bootstrapServers())) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP), List.of(
                    new AlterConfigOp(new ConfigEntry("tributary.share.defer.horizon.ms", "1000"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
        long dueAt;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(first.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5))) {
            KafkaShareConsumer<String, String> consumer = consumer(first.bootstrapServers());
            consumer.subscribe(List.of(TOPIC));
            String primer = primeSharePartition(producer, consumer);
            confirmed.add(primer);
            produced.add(primer);
            dueAt = System.currentTimeMillis() + DELAY_MS;
            for (int i = 0; i < DELAYED; i++) {
                String value = "delayed" + i;
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, 0, null,
                        value.getBytes(StandardCharsets.UTF_8));
                record.headers().add("tributary.deliver.at", Long.toString(dueAt).getBytes(StandardCharsets.US_ASCII));
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        produced.add(value);
                    }
                });
            }
            for (int i = 0; i < RECORDS; i++) {
                String value = "r" + i;
                producer.send(new ProducerRecord<>(TOPIC, 0, null, value.getBytes(StandardCharsets.UTF_8)),
                        (metadata, error) -> {
                            if (error == null) {
                                produced.add(value);
                            }
                        });
            }
            producer.flush();

            // When the broker is killed while the consumer accepts and commits poll after poll, and a second
            // acks=all producer is still producing
            AtomicBoolean consuming = new AtomicBoolean(true);
            Thread consumerThread = new Thread(() -> consume(consumer, confirmed, uncertain, consuming),
                    "share-crash-consumer");
            consumerThread.start();
            KafkaProducer<byte[], byte[]> live = Clients.producer(first.bootstrapServers(),
                    Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5));
            Thread producerThread = new Thread(() -> produceUntilStopped(live, produced, liveAcked, consuming),
                    "share-crash-producer");
            producerThread.start();
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while ((confirmed.size() < RECORDS / 3 || liveAcked.get() < LIVE_BEFORE_KILL) && consumerThread.isAlive()) {
                assertThat(System.currentTimeMillis()).as("acceptances and live sends before the kill")
                        .isLessThan(deadline);
                Thread.sleep(5);
            }
            first.kill();
            consuming.set(false);
            consumerThread.join(60_000);
            producerThread.join(60_000);
            live.close(Duration.ZERO);
        }
        assertThat(liveAcked.get()).as("records acknowledged to the live producer before the kill")
                .isGreaterThanOrEqualTo(LIVE_BEFORE_KILL);
        assertThat(produced).hasSize(RECORDS + DELAYED + 1 + liveAcked.get());
        assertThat(confirmed.size()).isGreaterThanOrEqualTo(RECORDS / 3);
        BrokerProcess second = brokers.start();
        second.awaitStarted(Duration.ofSeconds(30));

        // Then a new consumer of the group gets every record not confirmed accepted, and none that was
        Set<String> expected = new HashSet<>(produced);
        expected.removeAll(confirmed);
        expected.removeAll(uncertain);
        List<String> after = new ArrayList<>();
        long earliestDelayed = Long.MAX_VALUE;
        try (KafkaShareConsumer<String, String> consumer = consumer(second.bootstrapServers())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (!new HashSet<>(after).containsAll(expected)) {
                assertThat(System.currentTimeMillis()).as("redelivery of %d records, got %d", expected.size(),
                        after.size()).isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    after.add(record.value());
                    if (record.value().startsWith("delayed")) {
                        earliestDelayed = Math.min(earliestDelayed, System.currentTimeMillis());
                    }
                    consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                }
                consumer.commitSync(Duration.ofSeconds(30));
            }
        }
        // on a machine so slow that the kill came after the delayed records were due, they were delivered before it
        System.out.printf("confirmed %d before the kill (%d delayed), %d uncertain, %d acknowledged to the live "
                        + "producer, %d delivered after the restart%n", confirmed.size(),
                confirmed.stream().filter(v -> v.startsWith("delayed")).count(), uncertain.size(), liveAcked.get(),
                after.size());
        assertThat(after).doesNotContainAnyElementsOf(confirmed);
        assertThat(after).containsAll(expected);
        assertThat(earliestDelayed).as("delayed records not before they are due").isGreaterThanOrEqualTo(dueAt);
    }

    /** Produces markers until the consumer gets one, so the share partition exists; returns the one it accepted. */
    private static String primeSharePartition(KafkaProducer<byte[], byte[]> producer,
                                              KafkaShareConsumer<String, String> consumer) throws Exception {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        for (int i = 0; ; i++) {
            assertThat(System.currentTimeMillis()).as("first record").isLessThan(deadline);
            producer.send(new ProducerRecord<>(TOPIC, 0, null, ("primer" + i).getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            var records = consumer.poll(Duration.ofMillis(500));
            if (!records.isEmpty()) {
                assertThat(records.count()).isEqualTo(1);
                ConsumerRecord<String, String> record = records.iterator().next();
                consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                Map<TopicIdPartition, Optional<KafkaException>> result = consumer.commitSync(Duration.ofSeconds(30));
                assertThat(result.values()).allMatch(Optional::isEmpty);
                return record.value();
            }
        }
    }

    /**
     * Sends records one after the other (a few in flight) until {@code running} is cleared or a send fails; a
     * record counts as produced once the broker acknowledged it.
     */
    private static void produceUntilStopped(KafkaProducer<byte[], byte[]> producer, Set<String> produced,
                                            AtomicInteger acked, AtomicBoolean running) {
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(20);
        AtomicBoolean failed = new AtomicBoolean();
        try {
            for (int i = 0; running.get() && !failed.get(); i++) {
                if (!inFlight.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                String value = "live" + i;
                producer.send(new ProducerRecord<>(TOPIC, 0, null, value.getBytes(StandardCharsets.UTF_8)),
                        (metadata, error) -> {
                            if (error == null) {
                                produced.add(value);
                                acked.incrementAndGet();
                            } else {
                                failed.set(true);
                            }
                            inFlight.release();
                        });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the broker died under a send: what was acknowledged is counted already
        }
    }

    private static void consume(KafkaShareConsumer<String, String> consumer, Set<String> confirmed,
                                Set<String> uncertain, AtomicBoolean consuming) {
        try {
            while (consuming.get()) {
                List<String> polled = new ArrayList<>();
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        polled.add(record.value());
                        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    }
                    if (polled.isEmpty()) {
                        continue;
                    }
                    Map<TopicIdPartition, Optional<KafkaException>> result = consumer.commitSync(Duration.ofSeconds(5));
                    if (!result.isEmpty() && result.values().stream().allMatch(Optional::isEmpty)) {
                        confirmed.addAll(polled);
                    } else {
                        uncertain.addAll(polled);
                        return;
                    }
                } catch (RuntimeException e) {
                    // The broker died under this poll or commit: whether these acceptances landed is unknown.
                    uncertain.addAll(polled);
                    return;
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static KafkaShareConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        return new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
