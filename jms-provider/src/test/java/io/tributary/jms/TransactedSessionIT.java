package io.tributary.jms;

import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transacted sessions through the provider over loopback: sends go through a transactional Kafka producer
 * (visible to read_committed readers on commit, discarded on rollback), a durable subscription's position joins
 * the same Kafka transaction, and queue receipts are accepted on commit and released on rollback.
 */
@Timeout(180)
class TransactedSessionIT {
    private static final long RECEIVE_MS = 30_000;
    /** How long a receive waits for a message that must not come. */
    private static final long ABSENT_MS = 1_000;

    @RegisterExtension
    static final JmsBroker BROKER = new JmsBroker();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void commitMakesSendsVisibleAndRollbackDiscardsThem() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            Topic topic = tx.createTopic(unique("tx-visible"));
            MessageConsumer subscriber = plain.createConsumer(topic);
            connection.start();
            MessageProducer producer = tx.createProducer(topic);

            producer.send(tx.createTextMessage("discarded"));
            tx.rollback();
            producer.send(tx.createTextMessage("kept-1"));
            producer.send(tx.createTextMessage("kept-2"));
            assertThat(subscriber.receive(ABSENT_MS)).as("nothing before the commit").isNull();
            tx.commit();

            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText()).isEqualTo("kept-1");
            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText()).isEqualTo("kept-2");
            assertThat(readCommitted(topic.getTopicName(), 2)).containsExactly("kept-1", "kept-2");
            assertThat(tx.getTransacted()).isTrue();
        }
    }

    @Test
    void rollbackRedeliversTopicMessagesWithTheirDeliveryCount() throws Exception {
        TributaryConnectionFactory factory = BROKER.factory();
        factory.setClientID(unique("client"));
        try (Connection connection = factory.createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            Topic topic = plain.createTopic(unique("tx-redeliver"));
            MessageConsumer durable = tx.createDurableConsumer(topic, "sub");
            connection.start();
            MessageProducer producer = plain.createProducer(topic);
            producer.send(plain.createTextMessage("a"));
            producer.send(plain.createTextMessage("b"));

            assertThat(((TextMessage) durable.receive(RECEIVE_MS)).getText()).isEqualTo("a");
            assertThat(((TextMessage) durable.receive(RECEIVE_MS)).getText()).isEqualTo("b");
            tx.rollback();
            Message again = durable.receive(RECEIVE_MS);
            assertThat(((TextMessage) again).getText()).isEqualTo("a");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(((TextMessage) durable.receive(RECEIVE_MS)).getText()).isEqualTo("b");
            tx.commit();
            durable.close();

            producer.send(plain.createTextMessage("c"));
            MessageConsumer reopened = tx.createDurableConsumer(topic, "sub");
            Message next = reopened.receive(RECEIVE_MS);
            assertThat(((TextMessage) next).getText()).as("a and b were committed").isEqualTo("c");
            assertThat(next.getJMSRedelivered()).isFalse();
            tx.commit();
        }
    }

    @Test
    void aReceiveAndASendOnTopicsCommitOrRollBackTogether() throws Exception {
        TributaryConnectionFactory factory = BROKER.factory();
        String clientId = unique("client");
        factory.setClientID(clientId);
        try (Connection connection = factory.createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            Topic in = plain.createTopic(unique("tx-in"));
            Topic out = plain.createTopic(unique("tx-out"));
            MessageConsumer source = tx.createDurableConsumer(in, "processor");
            MessageProducer sink = tx.createProducer(out);
            connection.start();
            plain.createProducer(in).send(plain.createTextMessage("order-1"));

            TextMessage first = (TextMessage) source.receive(RECEIVE_MS);
            sink.send(tx.createTextMessage("processed-" + first.getText()));
            tx.rollback();
            TextMessage second = (TextMessage) source.receive(RECEIVE_MS);
            assertThat(second.getText()).isEqualTo("order-1");
            assertThat(second.getJMSRedelivered()).isTrue();
            sink.send(tx.createTextMessage("processed-" + second.getText() + "-again"));
            tx.commit();

            // the rolled-back send is gone for read_committed readers, the committed one is there once
            assertThat(readCommitted(out.getTopicName(), 1)).containsExactly("processed-order-1-again");
            // and the subscription's position, committed in the same transaction, is past order-1
            try (Admin admin = admin()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                        DurableSubscriptions.group(clientId, "processor")).partitionsToOffsetAndMetadata()
                        .get(RECEIVE_MS, TimeUnit.MILLISECONDS);
                assertThat(offsets.get(new TopicPartition(in.getTopicName(), 0)).offset()).isEqualTo(1);
            }
        }
    }

    @Test
    void queueReceiptsAreAcceptedOnCommitAndReleasedOnRollback() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue queue = plain.createQueue(unique("tx-queue"));
            MessageProducer txSender = tx.createProducer(queue);
            txSender.send(tx.createTextMessage("rolled-back"));
            tx.rollback();
            txSender.send(tx.createTextMessage("q-1"));
            tx.commit();
            MessageConsumer receiver = tx.createConsumer(queue);
            connection.start();

            Message m = receiver.receive(RECEIVE_MS);
            assertThat(((TextMessage) m).getText()).as("the rolled-back send never reaches the queue").isEqualTo("q-1");
            assertThat(m.getJMSRedelivered()).isFalse();
            tx.rollback();
            Message again = receiver.receive(RECEIVE_MS);
            assertThat(((TextMessage) again).getText()).isEqualTo("q-1");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            tx.commit();
            receiver.close();

            plain.createProducer(queue).send(plain.createTextMessage("q-2"));
            MessageConsumer next = plain.createConsumer(queue);
            assertThat(((TextMessage) next.receive(RECEIVE_MS)).getText()).as("q-1 was accepted").isEqualTo("q-2");
        }
    }

    @Test
    void aTransactionHoldsSeveralPollsOfQueueMessagesAndRollsThemAllBack() throws Exception {
        int maxPollRecords = 20;
        int n = 3 * maxPollRecords;
        TributaryConnectionFactory factory = new TributaryConnectionFactory("tributary://" + BROKER.bootstrapServers()
                + "?kafka.max.poll.records=" + maxPollRecords);
        try (Connection connection = factory.createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue queue = plain.createQueue(unique("tx-polls"));
            MessageProducer sender = plain.createProducer(queue);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sender.send(plain.createTextMessage("m-" + i));
                sent.add("m-" + i);
            }
            MessageConsumer receiver = tx.createConsumer(queue);
            connection.start();

            assertThat(receiveAll(receiver, n, 1)).as("first delivery of all %d in one transaction", n)
                    .containsExactlyInAnyOrderElementsOf(sent);
            tx.rollback();
            assertThat(receiveAll(receiver, n, 2)).as("all of them again after the rollback")
                    .containsExactlyInAnyOrderElementsOf(sent);
            tx.commit();
            receiver.close();

            MessageConsumer next = plain.createConsumer(queue);
            assertThat(next.receive(ABSENT_MS)).as("the commit accepted all of them").isNull();
        }
    }

    /** Receives {@code n} text messages, each delivered for the {@code deliveryCount}th time. */
    private static List<String> receiveAll(MessageConsumer receiver, int n, int deliveryCount) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = receiver.receive(RECEIVE_MS);
            assertThat(m).as("message %d of %d", i + 1, n).isNotNull();
            assertThat(m.getIntProperty("JMSXDeliveryCount")).as("delivery count of %s", m).isEqualTo(deliveryCount);
            assertThat(m.getJMSRedelivered()).isEqualTo(deliveryCount > 1);
            texts.add(((TextMessage) m).getText());
        }
        return texts;
    }

    @Test
    void aTransactedJmsContextCommitsAndRollsBack() {
        try (JMSContext context = BROKER.factory().createContext(JMSContext.SESSION_TRANSACTED);
             JMSContext reader = context.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Topic topic = context.createTopic(unique("tx-context"));
            JMSConsumer consumer = reader.createConsumer(topic);
            context.createProducer().send(topic, "dropped");
            context.rollback();
            context.createProducer().send(topic, "sent");
            context.commit();

            assertThat(consumer.receiveBody(String.class, RECEIVE_MS)).isEqualTo("sent");
            assertThat(context.getTransacted()).isTrue();
        }
    }

    @Test
    void aCommitReturnsOnlyOnceItsSendsAreFsyncedOnAnAsyncTopic() throws Exception {
        // Given an async topic whose periodic flusher does not run during the test
        String name = unique("tx-durable");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(Map.of("flush.policy", "async",
                    "flush.ms", "3600000")))).all().get(RECEIVE_MS, TimeUnit.MILLISECONDS);
        }
        try (Connection connection = BROKER.factory().createConnection()) {
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = tx.createProducer(tx.createTopic(name));
            long before = BROKER.flushCount(name);

            // When a transaction sends a NON_PERSISTENT message and commits
            producer.send(tx.createTextMessage("in a transaction"), jakarta.jms.DeliveryMode.NON_PERSISTENT, 4, 0);
            tx.commit();

            // Then the partition was fsynced before commit() returned
            assertThat(BROKER.flushCount(name)).isGreaterThan(before);
        }
    }

    @Test
    void aCommitReturnsOnlyOnceItsDecisionIsFsyncedWhateverTheFlushPolicyOfTheTransactionState() throws Exception {
        // Given a transaction with a send, and __transaction_state (created by the session's first send) async
        // with a periodic flusher that does not run during the test
        String name = unique("tx-decision");
        try (Connection connection = BROKER.factory().createConnection(); Admin admin = admin()) {
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = tx.createProducer(tx.createTopic(name));
            producer.send(tx.createTextMessage("in a transaction"));
            org.apache.kafka.common.config.ConfigResource state = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "__transaction_state");
            admin.incrementalAlterConfigs(Map.of(state, List.of(
                    new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                            "flush.policy", "async"), org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET),
                    new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                            "flush.ms", "3600000"), org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
                    .all().get(RECEIVE_MS, TimeUnit.MILLISECONDS);
            long before = BROKER.flushCount("__transaction_state");

            // When the session commits
            tx.commit();

            // Then the commit decision had been fsynced when commit() returned
            assertThat(BROKER.flushCount("__transaction_state")).isGreaterThan(before);
        }
    }

    @Test
    void transactionCallsOnTheWrongKindOfSessionAreIllegalState() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session tx = connection.createSession(Session.SESSION_TRANSACTED);

            assertThatThrownBy(plain::commit).isInstanceOf(jakarta.jms.IllegalStateException.class);
            assertThatThrownBy(plain::rollback).isInstanceOf(jakarta.jms.IllegalStateException.class);
            assertThatThrownBy(tx::recover).isInstanceOf(jakarta.jms.IllegalStateException.class);
            assertThat(tx.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
            tx.close();
            assertThatThrownBy(tx::commit).isInstanceOf(jakarta.jms.IllegalStateException.class);
        }
    }

    private static Admin admin() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        return Admin.create(config);
    }

    /** Reads {@code topic} from the start with a read_committed Kafka consumer until {@code expected} values came. */
    private static List<String> readCommitted(String topic, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECEIVE_MS);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            // everything up to the last stable offset has been read: nothing else is visible
            while (consumer.position(tp) < consumer.endOffsets(List.of(tp)).get(tp) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }
}
