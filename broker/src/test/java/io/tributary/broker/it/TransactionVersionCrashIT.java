package io.tributary.broker.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of a broker running transaction.version 2 (the default) with kafka-clients 4.4: the epoch bumped by
 * the last EndTxn and the open transaction whose partition its Produce added are stored, and after the restart
 * a new producer instance fences and aborts it and commits; read_committed sees exactly the committed records.
 */
@ExtendWith(TributaryExtension.class)
@Timeout(180)
class TransactionVersionCrashIT {
    private static final String TOPIC = "tv2-crash";
    private static final String TXN = "tv2-crash-1";

    @Test
    void bumpedEpochAndOpenTransactionSurviveSigkill(BrokerProcesses brokers) throws Exception {
        // Given a committed transaction (epoch bumped to 1) and a second one open with a record
        BrokerProcess first = brokers.start();
        first.awaitStarted(Duration.ofSeconds(30));
        try (Admin admin = Clients.admin(first.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        KafkaProducer<byte[], byte[]> zombie = Clients.producer(first.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TXN));
        try {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(TOPIC, 0, null, "c1".getBytes())).get(30, TimeUnit.SECONDS);
            zombie.commitTransaction();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(TOPIC, 0, null, "open".getBytes())).get(30, TimeUnit.SECONDS);

            // When the broker is killed and started again on the same directory
            first.kill();
        } finally {
            zombie.close(Duration.ZERO);
        }
        BrokerProcess second = brokers.start();
        second.awaitStarted(Duration.ofSeconds(30));

        // Then the open transaction is there at the bumped epoch, with its partition
        try (Admin admin = Clients.admin(second.bootstrapServers())) {
            TransactionDescription open = describe(admin);
            assertThat(open.state()).isEqualTo(TransactionState.ONGOING);
            assertThat(open.producerEpoch()).isEqualTo(1);
            assertThat(open.topicPartitions()).containsExactly(new TopicPartition(TOPIC, 0));

            // and a new instance fences it, aborts it and commits its own record
            try (KafkaProducer<byte[], byte[]> successor = Clients.producer(second.bootstrapServers(),
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TXN, ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000))) {
                successor.initTransactions();
                successor.beginTransaction();
                successor.send(new ProducerRecord<>(TOPIC, 0, null, "c2".getBytes()));
                successor.commitTransaction();
            }
            assertThat(readCommitted(second.bootstrapServers(), 2)).containsExactly("c1", "c2");
            assertThat(describe(admin).producerEpoch()).isGreaterThan(2);
        }
    }

    private static TransactionDescription describe(Admin admin) throws Exception {
        return admin.describeTransactions(List.of(TXN)).description(TXN).get(30, TimeUnit.SECONDS);
    }

    private static List<String> readCommitted(String bootstrap, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(new String(r.value())));
            }
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(new String(r.value())));
        }
        return values;
    }
}
