package io.tributary.jms;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared (durable and non-durable) topic subscriptions over loopback: each is one share group. */
@Timeout(180)
class SharedSubscriptionIT {
    private static final long RECEIVE_MS = 30_000;
    private static final long DEADLINE_MS = 90_000;

    @RegisterExtension
    static final JmsBroker BROKER = new JmsBroker();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> publish(Session session, Topic topic, String prefix, int n) throws JMSException {
        List<String> texts = new ArrayList<>();
        MessageProducer producer = session.createProducer(topic);
        for (int i = 0; i < n; i++) {
            producer.send(session.createTextMessage(prefix + i));
            texts.add(prefix + i);
        }
        producer.close();
        return texts;
    }

    @Test
    void consumersOfOneSharedDurableSubscriptionSplitItsMessagesWhileAnotherSubscriptionGetsAll() throws Exception {
        int n = 30;
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = sa.createTopic(unique("shared"));
            String name = unique("sub");
            MessageConsumer ca = sa.createSharedDurableConsumer(topic, name);
            MessageConsumer cb = sb.createSharedDurableConsumer(topic, name);
            MessageConsumer other = sa.createSharedConsumer(topic, unique("other"));
            a.start();
            b.start();
            List<String> sent = publish(sa, topic, "s-", n);

            List<String> split = drain(List.of(ca, cb), n);
            List<String> all = drain(List.of(other), n);

            assertThat(split).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
            assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
            ca.close();
            cb.close();
            sa.unsubscribe(name);
        }
    }

    @Test
    void aSharedSubscriptionWithASelectorSplitsOnlyTheMessagesItSelects() throws Exception {
        int n = 20;
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = sa.createTopic(unique("shared-selected"));
            String name = unique("urgent");
            MessageConsumer ca = sa.createSharedDurableConsumer(topic, name, "urgent = TRUE");
            MessageConsumer cb = sb.createSharedDurableConsumer(topic, name, "urgent = TRUE");
            a.start();
            b.start();
            MessageProducer producer = sa.createProducer(topic);
            List<String> urgent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Message m = sa.createTextMessage("m-" + i);
                m.setBooleanProperty("urgent", i % 4 == 0);
                producer.send(m);
                if (i % 4 == 0) {
                    urgent.add("m-" + i);
                }
            }

            List<String> split = drain(List.of(ca, cb), urgent.size());

            assertThat(split).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(urgent);
            assertThat(ca.receiveNoWait()).isNull();
            assertThat(cb.receiveNoWait()).isNull();
            assertThat(((jakarta.jms.TopicSubscriber) ca).getMessageSelector()).isEqualTo("urgent = TRUE");
            // the messages the selector refuses are not part of the subscription: archived, the start passes them
            String group = ShareGroups.sharedGroup(null, name, true);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    BROKER.bootstrapServers()))) {
                long start = 0;
                long end = System.currentTimeMillis() + DEADLINE_MS;
                while (start < n && System.currentTimeMillis() < end) {
                    start = admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                            .partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS).values().stream()
                            .mapToLong(SharePartitionOffsetInfo::startOffset).sum();
                    if (start < n) {
                        Thread.sleep(100);
                    }
                }
                assertThat(start).as("the subscription's start offsets, summed over the partitions").isEqualTo(n);
            }
            ca.close();
            cb.close();
            sa.unsubscribe(name);
        }
    }

    @Test
    void aSharedDurableSubscriptionKeepsMessagesWhileNoConsumerIsOpenUntilUnsubscribed() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("durable-shared"));
            String name = unique("keep");
            publish(session, topic, "before-", 2);
            MessageConsumer consumer = session.createSharedDurableConsumer(topic, name);
            connection.start();
            assertThat(consumer.receive(2_000)).as("a new subscription starts after what was published").isNull();
            consumer.close();

            List<String> whileClosed = publish(session, topic, "kept-", 3);
            consumer = session.createSharedDurableConsumer(topic, name);
            assertThat(drain(List.of(consumer), 3)).containsExactlyInAnyOrderElementsOf(whileClosed);

            MessageConsumer open = consumer;
            assertThatThrownBy(() -> session.unsubscribe(name)).isInstanceOf(IllegalStateException.class);
            open.close();
            session.unsubscribe(name);
            assertThatThrownBy(() -> session.unsubscribe(name)).isInstanceOf(InvalidDestinationException.class);

            publish(session, topic, "gone-", 2);
            MessageConsumer fresh = session.createSharedDurableConsumer(topic, name);
            assertThat(fresh.receive(2_000)).as("unsubscribe dropped what the old subscription kept").isNull();
            publish(session, topic, "new-", 1);
            assertThat(((TextMessage) fresh.receive(RECEIVE_MS)).getText()).isEqualTo("new-0");
        }
    }

    @Test
    void aConsumerWithAnotherSelectorOrTopicFailsWhileAnotherConnectionHasAnActiveConsumer() throws Exception {
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection();
             JMSContext c = BROKER.factory().createContext()) {
            // Given a shared durable and a shared non-durable subscription, each with a consumer in connection a
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = sa.createTopic(unique("defined"));
            Topic otherTopic = sa.createTopic(unique("elsewhere"));
            String durable = unique("durable");
            String nonDurable = unique("nondurable");
            MessageConsumer red = sa.createSharedDurableConsumer(topic, durable, "color = 'red'");
            MessageConsumer plain = sa.createSharedConsumer(topic, nonDurable);

            // When connection b and a JMSContext open consumers with another selector or topic
            // Then they fail, and one with the same definition joins
            assertThatThrownBy(() -> sb.createSharedDurableConsumer(topic, durable, "color = 'blue'"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("active consumers");
            assertThatThrownBy(() -> sb.createSharedDurableConsumer(topic, durable))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> sb.createSharedDurableConsumer(otherTopic, durable, "color = 'red'"))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> sb.createSharedConsumer(topic, nonDurable, "color = 'red'"))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> c.createSharedConsumer(otherTopic, nonDurable))
                    .isInstanceOf(jakarta.jms.IllegalStateRuntimeException.class);
            MessageConsumer alsoRed = sb.createSharedDurableConsumer(topic, durable, "color = 'red'");
            MessageConsumer alsoPlain = sb.createSharedConsumer(topic, nonDurable);

            alsoRed.close();
            alsoPlain.close();
            red.close();
            plain.close();
            sa.unsubscribe(durable);
        }
    }

    @Test
    void theBrokerLetsASharedSubscriptionMemberJoinOnlyWithItsMembersTopicAndSelector() throws Exception {
        // Given a member of a shared subscription's share group for red messages, joined (as a provider's consumer
        // whose check against the members ran before this one joined would be, the check is bypassed here)
        String topic = unique("joined");
        String group = "jms-shared-nondurable::" + unique("sub");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(RECEIVE_MS, TimeUnit.MILLISECONDS);
            joinOnlyWithTheMembersDefinition(admin, group, topic);
        }
    }

    private static void joinOnlyWithTheMembersDefinition(Admin admin, String group, String topic) throws Exception {
        String redId = clientId("color = 'red'");
        String blueId = clientId("color = 'blue'");
        String alsoRedId = clientId("color = 'red'");
        try (KafkaShareConsumer<byte[], byte[]> red = shareConsumer(group, topic, redId);
             KafkaShareConsumer<byte[], byte[]> blue = shareConsumer(group, topic, blueId);
             KafkaShareConsumer<byte[], byte[]> alsoRed = shareConsumer(group, topic, alsoRedId)) {
            long end = System.currentTimeMillis() + DEADLINE_MS;
            while (!memberClientIds(admin, group).contains(redId) && System.currentTimeMillis() < end) {
                red.poll(Duration.ofMillis(100));
            }
            assertThat(memberClientIds(admin, group)).as("the first member joined").contains(redId);

            // When one with another selector joins, Then the broker refuses it; one with the same selector joins
            assertThatThrownBy(() -> {
                while (System.currentTimeMillis() < end) {
                    blue.poll(Duration.ofMillis(100));
                }
            }).isInstanceOf(InconsistentGroupProtocolException.class);
            while (!memberClientIds(admin, group).contains(alsoRedId) && System.currentTimeMillis() < end) {
                alsoRed.poll(Duration.ofMillis(100));
                red.poll(Duration.ofMillis(0));
            }
            assertThat(memberClientIds(admin, group)).contains(redId, alsoRedId).doesNotContain(blueId);
        }
    }

    private static String clientId(String selector) {
        return "jms-consumer-" + UUID.randomUUID() + ShareReader.SUBSCRIPTION_SELECTOR
                + URLEncoder.encode(selector, StandardCharsets.UTF_8);
    }

    private static List<String> memberClientIds(Admin admin, String group) throws Exception {
        try {
            return admin.describeShareGroups(List.of(group)).describedGroups().get(group)
                    .get(RECEIVE_MS, TimeUnit.MILLISECONDS).members().stream()
                    .map(org.apache.kafka.clients.admin.ShareMemberDescription::clientId).toList();
        } catch (java.util.concurrent.ExecutionException e) {
            return List.of();
        }
    }

    private static KafkaShareConsumer<byte[], byte[]> shareConsumer(String group, String topic, String clientId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @Test
    void ofTwoConsumersCreatedAtOnceWithDifferentSelectorsOneFails() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = sa.createTopic(unique("race"));
            for (int round = 0; round < 3; round++) {
                // Given two connections about to create one shared subscription with different selectors
                String name = unique("sub");
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                // When they create it at the same moment
                Future<MessageConsumer> red = pool.submit(() -> {
                    start.await();
                    return sa.createSharedConsumer(topic, name, "color = 'red'");
                });
                Future<MessageConsumer> blue = pool.submit(() -> {
                    start.await();
                    return sb.createSharedConsumer(topic, name, "color = 'blue'");
                });
                // Then exactly one of them fails, as the subscription has an active consumer with another selector
                List<MessageConsumer> created = new ArrayList<>();
                List<Throwable> failed = new ArrayList<>();
                for (Future<MessageConsumer> f : List.of(red, blue)) {
                    try {
                        created.add(f.get(DEADLINE_MS, TimeUnit.MILLISECONDS));
                    } catch (java.util.concurrent.ExecutionException e) {
                        failed.add(e.getCause());
                    }
                }
                assertThat(created).as("round " + round).hasSize(1);
                assertThat(failed).as("round " + round).singleElement().isInstanceOf(IllegalStateException.class);
                created.get(0).close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSharedDurableSubscriptionWithoutActiveConsumersIsReplacedByAnotherConnectionsNewDefinition()
            throws Exception {
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection()) {
            // Given a shared durable subscription for red messages, closed, which keeps a red message
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = sa.createTopic(unique("replaced"));
            String name = unique("sub");
            sa.createSharedDurableConsumer(topic, name, "color = 'red'").close();
            MessageProducer producer = sa.createProducer(topic);
            producer.send(colored(sa, "kept-red", "red"));

            // When connection b opens it for blue messages
            MessageConsumer blue = sb.createSharedDurableConsumer(topic, name, "color = 'blue'");
            b.start();
            producer.send(colored(sa, "new-red", "red"));
            producer.send(colored(sa, "new-blue", "blue"));

            // Then it is a new subscription: the old one's message is gone, only blue ones published since come
            TextMessage got = (TextMessage) blue.receive(RECEIVE_MS);
            assertThat(got).isNotNull();
            assertThat(got.getText()).isEqualTo("new-blue");
            assertThat(blue.receive(1_000)).isNull();
            blue.close();
            sb.unsubscribe(name);
        }
    }

    private static TextMessage colored(Session session, String text, String color) throws JMSException {
        TextMessage m = session.createTextMessage(text);
        m.setStringProperty("color", color);
        return m;
    }

    @Test
    void aSharedNonDurableSubscriptionIsDeletedWhenItsLastConsumerCloses() throws Exception {
        String name = unique("transient");
        try (JMSContext context = BROKER.factory().createContext();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()))) {
            Topic topic = context.createTopic(unique("nondurable"));
            JMSConsumer first = context.createSharedConsumer(topic, name);
            JMSConsumer second = context.createSharedConsumer(topic, name);
            context.createProducer().send(topic, "hello");
            String got = first.receiveBody(String.class, 5_000);
            if (got == null) {
                got = second.receiveBody(String.class, RECEIVE_MS);
            }
            assertThat(got).isEqualTo("hello");
            String group = "jms-shared-nondurable::" + name;
            assertThat(shareGroups(admin)).contains(group);

            first.close();
            assertThat(shareGroups(admin)).as("one consumer is still open").contains(group);
            second.close();
            assertThat(shareGroups(admin)).doesNotContain(group);
        }
    }

    private static List<String> shareGroups(Admin admin) throws Exception {
        return admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS).stream()
                .map(GroupListing::groupId).toList();
    }

    private static List<String> drain(List<MessageConsumer> consumers, int n) throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(consumers.size());
        try {
            List<Future<?>> drains = new ArrayList<>();
            for (MessageConsumer c : consumers) {
                drains.add(pool.submit(() -> {
                    long end = System.currentTimeMillis() + DEADLINE_MS;
                    while (received.size() < n && System.currentTimeMillis() < end) {
                        Message m = c.receive(500);
                        if (m != null) {
                            received.add(((TextMessage) m).getText());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : drains) {
                f.get(DEADLINE_MS + RECEIVE_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return received;
    }
}
