package io.tributary.jms;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Queues through the provider jar over loopback: receivers are members of the queue's share group, so they (and
 * a plain KafkaShareConsumer of that group) compete, and acknowledgement, recover and listener failures go through
 * the broker's share partitions.
 */
@Timeout(180)
class QueueMessagingIT {
    private static final long RECEIVE_MS = 30_000;
    private static final long DEADLINE_MS = 90_000;

    @RegisterExtension
    static final JmsBroker BROKER = new JmsBroker();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> send(Session session, Queue queue, String prefix, int n) throws JMSException {
        List<String> texts = new ArrayList<>();
        MessageProducer producer = session.createProducer(queue);
        for (int i = 0; i < n; i++) {
            producer.send(session.createTextMessage(prefix + i));
            texts.add(prefix + i);
        }
        producer.close();
        return texts;
    }

    @Test
    void aMessageSentBeforeAnyReceiverExistedIsReceived() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("early"));
            send(session, queue, "early-", 1);

            MessageConsumer receiver = session.createConsumer(queue);
            connection.start();
            TextMessage m = (TextMessage) receiver.receive(RECEIVE_MS);

            assertThat(m).isNotNull();
            assertThat(m.getText()).isEqualTo("early-0");
            assertThat(m.getJMSDestination()).isEqualTo(queue);
            assertThat(m.getJMSRedelivered()).isFalse();
            assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        }
    }

    @Test
    void competingReceiversEachGetDistinctMessagesAndTogetherAll() throws Exception {
        int n = 40;
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = sa.createQueue(unique("competing"));
            MessageConsumer ra = sa.createConsumer(queue);
            MessageConsumer rb = ((jakarta.jms.QueueSession) sb).createReceiver(queue);
            a.start();
            b.start();
            List<String> sent = send(sa, queue, "m-", n);

            List<String> received = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> drains = new ArrayList<>();
                for (MessageConsumer r : List.of(ra, rb)) {
                    drains.add(pool.submit(() -> {
                        long end = System.currentTimeMillis() + DEADLINE_MS;
                        while (received.size() < n && System.currentTimeMillis() < end) {
                            Message m = r.receive(500);
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

            assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void clientRecoverRedeliversWithDeliveryCountAndAcknowledgeAcceptsForGood() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("recover"));
            List<String> sent = send(session, queue, "r-", 3);
            MessageConsumer receiver = session.createConsumer(queue);
            connection.start();

            List<Message> first = receiveAll(receiver, 3);
            assertThat(texts(first)).containsExactlyElementsOf(sent);
            for (Message m : first) {
                assertThat(m.getJMSRedelivered()).isFalse();
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            }

            session.recover();
            List<Message> again = receiveAll(receiver, 3);
            assertThat(texts(again)).containsExactlyInAnyOrderElementsOf(sent);
            for (Message m : again) {
                assertThat(m.getJMSRedelivered()).isTrue();
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            }
            again.get(0).acknowledge();
            receiver.close();

            MessageConsumer next = session.createConsumer(queue);
            assertThat(next.receive(2_000)).as("acknowledged messages do not come back").isNull();
        }
    }

    @Test
    void aClientReceiverClosedWithoutAcknowledgingHandsItsMessagesBack() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session client = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = client.createQueue(unique("handback"));
            List<String> sent = send(client, queue, "h-", 2);
            MessageConsumer holder = client.createConsumer(queue);
            connection.start();
            assertThat(texts(receiveAll(holder, 2))).containsExactlyElementsOf(sent);
            holder.close();

            Session auto = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<Message> back = receiveAll(auto.createConsumer(queue), 2);
            assertThat(texts(back)).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(back).allSatisfy(m -> assertThat(m.getJMSRedelivered()).isTrue());
        }
    }

    @Test
    void anAutoAcknowledgeListenerThatThrowsGetsTheMessageAgain() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("listener"));
            MessageConsumer receiver = session.createConsumer(queue);
            List<String> deliveries = new CopyOnWriteArrayList<>();
            CountDownLatch twice = new CountDownLatch(2);
            receiver.setMessageListener(m -> {
                try {
                    deliveries.add(((TextMessage) m).getText() + "/" + m.getIntProperty("JMSXDeliveryCount")
                            + "/" + m.getJMSRedelivered());
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
                twice.countDown();
                if (deliveries.size() == 1) {
                    throw new IllegalStateException("the listener fails on its first message");
                }
            });
            connection.start();
            send(session, queue, "l-", 1);

            assertThat(twice.await(RECEIVE_MS * 2, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(deliveries).startsWith("l-0/1/false", "l-0/2/true");
            receiver.close();
            assertThat(session.createConsumer(queue).receive(2_000)).as("accepted after the listener returned").isNull();
        }
    }

    @Test
    void theBrowserShowsUnconsumedMessagesWithoutTakingThem() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("browse"));
            send(session, queue, "b-", 3);
            session.createProducer(queue).send(withKind(session.createTextMessage("b-3"), "x"));

            try (QueueBrowser browser = session.createBrowser(queue)) {
                assertThat(browsed(browser)).containsExactly("b-0", "b-1", "b-2", "b-3");
                assertThat(browser.getQueue()).isEqualTo(queue);
            }
            try (QueueBrowser selective = session.createBrowser(queue, "kind = 'x'")) {
                assertThat(browsed(selective)).containsExactly("b-3");
            }

            MessageConsumer receiver = session.createConsumer(queue);
            connection.start();
            assertThat(((TextMessage) receiver.receive(RECEIVE_MS)).getText()).isEqualTo("b-0");
            receiver.close();

            // b-0 is accepted: once the share group's start offset passed it, the browser no longer shows it
            try (QueueBrowser browser = session.createBrowser(queue)) {
                long end = System.currentTimeMillis() + DEADLINE_MS;
                List<String> seen = browsed(browser);
                while (seen.contains("b-0") && System.currentTimeMillis() < end) {
                    Thread.sleep(200);
                    seen = browsed(browser);
                }
                assertThat(seen).containsExactly("b-1", "b-2", "b-3");
            }
            // and browsing took nothing: the receiver still gets the rest
            List<Message> rest = receiveAll(session.createConsumer(queue), 3);
            assertThat(texts(rest)).containsExactlyInAnyOrder("b-1", "b-2", "b-3");
        }
    }

    @Test
    void aTemporaryQueueIsBrowsedFromWhatItsConsumersHaveNotAcknowledged() throws Exception {
        try (Connection connection = BROKER.factory().createConnection();
             Connection other = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue temporary = session.createTemporaryQueue();
            send(session, temporary, "t-", 3);
            try (QueueBrowser browser = session.createBrowser(temporary)) {
                assertThat(browsed(browser)).containsExactly("t-0", "t-1", "t-2");
            }

            // a consumer receives two, acknowledges the first only (by acknowledging before the second receive)
            MessageConsumer consumer = session.createConsumer(temporary);
            connection.start();
            Message first = consumer.receive(RECEIVE_MS);
            assertThat(((TextMessage) first).getText()).isEqualTo("t-0");
            first.acknowledge();
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("t-1");
            try (QueueBrowser browser = session.createBrowser(temporary, "JMSPriority >= 0")) {
                assertThat(browsed(browser)).as("while its consumer is open").containsExactly("t-1", "t-2");
            }
            consumer.close();
            try (QueueBrowser browser = session.createBrowser(temporary)) {
                assertThat(browsed(browser)).as("after its consumer closed").containsExactly("t-1", "t-2");
            }
            // browsing took nothing: the next consumer gets what the first did not acknowledge
            assertThat(texts(receiveAll(session.createConsumer(temporary), 2))).containsExactly("t-1", "t-2");

            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> otherSession.createBrowser(temporary))
                    .isInstanceOf(jakarta.jms.InvalidDestinationException.class);
        }
    }

    @Test
    void receiveNoWaitOnANewReceiverReturnsAWaitingMessage() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("nowait"));
            Queue empty = session.createQueue(unique("nowait-empty"));
            send(session, queue, "nw-", 1);
            connection.start();

            // Given receivers created just now, which have fetched nothing yet
            MessageConsumer receiver = session.createConsumer(queue);
            MessageConsumer idle = session.createConsumer(empty);

            // Then receiveNoWait asks the broker once: the waiting message comes, an empty queue answers null
            Message m = receiver.receiveNoWait();
            assertThat(m).as("the message the queue holds").isNotNull();
            assertThat(((TextMessage) m).getText()).isEqualTo("nw-0");
            long first = System.nanoTime();
            assertThat(idle.receiveNoWait()).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first))
                    .as("the first call waits for the first (empty) fetch answer, not for sendTimeoutMs (30 s)")
                    .isLessThan(20_000);
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(idle.receiveNoWait()).isNull();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("later calls do not wait for the broker").isLessThan(5_000);
        }
    }

    @Test
    void aJmsReceiverAndAKafkaShareConsumerCompeteOnTheSameQueue() throws Exception {
        int n = 30;
        String name = unique("interop-queue");
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "jms-queue:" + name);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        try (JMSContext context = BROKER.factory().createContext(JMSContext.CLIENT_ACKNOWLEDGE);
             KafkaShareConsumer<String, String> kafka = new KafkaShareConsumer<>(props, new StringDeserializer(),
                     new StringDeserializer())) {
            Queue queue = context.createQueue(name);
            var jms = context.createConsumer(queue);
            kafka.subscribe(List.of(name));
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                context.createProducer().send(queue, "k-" + i);
                sent.add("k-" + i);
            }

            // The JMS receiver takes a first message and holds it unacknowledged
            String held = jms.receiveBody(String.class, RECEIVE_MS);
            assertThat(held).isNotNull();

            // the Kafka share consumer gets the others, never the one the JMS receiver holds
            List<String> byKafka = new ArrayList<>();
            List<String> byJms = new ArrayList<>(List.of(held));
            long end = System.currentTimeMillis() + DEADLINE_MS;
            while (byKafka.size() + byJms.size() < n && System.currentTimeMillis() < end) {
                for (ConsumerRecord<String, String> r : kafka.poll(Duration.ofMillis(300))) {
                    byKafka.add(r.value());
                    kafka.acknowledge(r, AcknowledgeType.ACCEPT);
                }
                kafka.commitSync(Duration.ofSeconds(30));
                String more = jms.receiveBody(String.class, 100);
                if (more != null) {
                    byJms.add(more);
                }
            }
            context.acknowledge();

            List<String> all = new ArrayList<>(byJms);
            all.addAll(byKafka);
            assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
            assertThat(byKafka).doesNotContain(held);
            assertThat(byJms).isNotEmpty();
        }
    }

    @Test
    void autoAcknowledgedMessagesAreNotDeliveredAgainWhileTheirReceiverIdles() throws Exception {
        int n = 6;
        long lockMs = 2_000;
        String name = unique("idle-auto");
        shortenRecordLock(ShareGroups.queueGroup(name), lockMs);
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = sa.createQueue(name);
            List<String> sent = send(sa, queue, "idle-", n);
            MessageConsumer idle = sa.createConsumer(queue);
            a.start();
            // two at once: the accept of the second is batched with whatever the receiver takes next
            List<String> taken = texts(receiveAll(idle, 2));
            // then the first receiver neither receives again nor closes: what it fetched and did not take comes
            // back once the record locks expire, what it took (auto-acknowledged) must not

            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer other = sb.createConsumer(queue);
            b.start();
            List<String> others = new ArrayList<>(sent);
            others.removeAll(taken);
            List<String> received = new ArrayList<>();
            long end = System.currentTimeMillis() + DEADLINE_MS;
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(end, quietUntil)
                    && Collections.disjoint(received, taken)) {
                Message m = other.receive(500);
                if (m != null) {
                    received.add(((TextMessage) m).getText());
                }
                if (quietUntil == Long.MAX_VALUE && received.containsAll(others)) {
                    // the locks of the first receiver's fetch have expired: watch one more lock duration
                    quietUntil = System.currentTimeMillis() + lockMs;
                }
            }

            assertThat(received).as("the other receiver gets what the idle one fetched and did not take")
                    .isNotEmpty();
            assertThat(received).doesNotContainAnyElementsOf(taken).doesNotHaveDuplicates();
        }
    }

    /** Sets {@code group}'s {@code share.record.lock.duration.ms} before any member joins. */
    private static void shortenRecordLock(String group, long lockMs) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                    new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", Long.toString(lockMs)),
                            AlterConfigOp.OpType.SET)))).all().get(RECEIVE_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aKafkaShareConsumerGetsWhatAJmsReceiverReleased() throws Exception {
        String name = unique("released-to-kafka");
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "jms-queue:" + name);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(name);
            List<String> sent = send(session, queue, "x-", 3);
            MessageConsumer receiver = session.createConsumer(queue);
            connection.start();
            assertThat(texts(receiveAll(receiver, 3))).containsExactlyElementsOf(sent);
            receiver.close();

            try (KafkaShareConsumer<String, String> kafka = new KafkaShareConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer())) {
                kafka.subscribe(List.of(name));
                Set<String> got = new HashSet<>();
                long end = System.currentTimeMillis() + DEADLINE_MS;
                while (got.size() < 3 && System.currentTimeMillis() < end) {
                    for (ConsumerRecord<String, String> r : kafka.poll(Duration.ofMillis(300))) {
                        assertThat(r.deliveryCount()).contains((short) 2);
                        got.add(r.value());
                        kafka.acknowledge(r, AcknowledgeType.ACCEPT);
                    }
                    kafka.commitSync(Duration.ofSeconds(30));
                }
                assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
            }
        }
    }

    @Test
    void receiversWithDisjointSelectorsEachGetTheirsAndWhatNoneSelectsWaitsForAReceiverWithout() throws Exception {
        int n = 10;
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = sa.createQueue(unique("selected"));
            MessageConsumer reds = sa.createConsumer(queue, "color = 'red'");
            MessageConsumer blues = ((jakarta.jms.QueueSession) sb).createReceiver(queue, "color = 'blue'");
            a.start();
            b.start();
            MessageProducer producer = sa.createProducer(queue);
            List<String> sentRed = new ArrayList<>();
            List<String> sentBlue = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                producer.send(withColor(sa.createTextMessage("red-" + i), "red"));
                sentRed.add("red-" + i);
                producer.send(withColor(sa.createTextMessage("green-" + i), "green"));
                producer.send(withColor(sa.createTextMessage("blue-" + i), "blue"));
                sentBlue.add("blue-" + i);
            }

            List<String> gotRed = texts(receiveAll(reds, n));
            List<String> gotBlue = texts(receiveAll(blues, n));

            assertThat(gotRed).containsExactlyElementsOf(sentRed);
            assertThat(gotBlue).containsExactlyElementsOf(sentBlue);
            assertThat(reds.receiveNoWait()).isNull();
            assertThat(blues.receiveNoWait()).isNull();

            // the green ones, which no selector took, are still on the queue for a receiver without a selector
            MessageConsumer any = sb.createConsumer(queue);
            List<String> rest = texts(receiveAll(any, n));
            assertThat(rest).hasSize(n).allMatch(t -> t.startsWith("green-"));
        }
    }

    @Test
    void aSelectorOnJmsxDeliveryCountSeesTheBrokersDeliveryCount() throws Exception {
        try (Connection a = BROKER.factory().createConnection(); Connection b = BROKER.factory().createConnection()) {
            // Given a transacted receiver of first deliveries only, and another connection's receiver of redeliveries
            Session first = a.createSession(true, Session.SESSION_TRANSACTED);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = first.createQueue(unique("delivery-count"));
            MessageConsumer fresh = first.createConsumer(queue, "JMSXDeliveryCount = 1");
            MessageConsumer retries = sb.createConsumer(queue, "JMSXDeliveryCount > 1");
            a.start();
            b.start();
            send(sb, queue, "dc-", 1);
            TextMessage once = (TextMessage) fresh.receive(RECEIVE_MS);
            assertThat(once).isNotNull();
            assertThat(once.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);

            // When the transaction rolls back (the message is released with delivery count 1)
            first.rollback();

            // Then only the receiver of redeliveries gets it, on its second delivery
            TextMessage again = (TextMessage) retries.receive(RECEIVE_MS);
            assertThat(again).isNotNull();
            assertThat(again.getText()).isEqualTo("dc-0");
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(fresh.receiveNoWait()).isNull();
        }
    }

    /**
     * The documented limit of browsing (docs/jms.md): the browser reads the log with a plain Kafka consumer, so the
     * broker's delivery count of a message is not known to it; its selector sees JMSXDeliveryCount as NULL, where a
     * receiver's selector sees the count.
     */
    @Test
    void aBrowserSelectorSeesNoJmsxDeliveryCountWhereAReceiverSeesTheBrokersCount() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            // Given two messages, the first delivered once and rolled back (released with delivery count 1)
            Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("browse-count"));
            send(session, queue, "bc-", 2);
            MessageConsumer first = transacted.createConsumer(queue, "JMSXDeliveryCount = 1");
            connection.start();
            TextMessage once = (TextMessage) first.receive(RECEIVE_MS);
            assertThat(once).isNotNull();
            assertThat(once.getText()).isEqualTo("bc-0");
            transacted.rollback();
            first.close();

            // When browsers select on JMSXDeliveryCount
            List<String> redelivered;
            List<String> firstTime;
            List<String> unknown;
            Object browsedCount;
            try (QueueBrowser b = session.createBrowser(queue, "JMSXDeliveryCount > 1")) {
                redelivered = browsed(b);
            }
            try (QueueBrowser b = session.createBrowser(queue, "JMSXDeliveryCount >= 1 OR JMSXDeliveryCount < 1")) {
                firstTime = browsed(b);
            }
            try (QueueBrowser b = session.createBrowser(queue, "JMSXDeliveryCount IS NULL")) {
                unknown = browsed(b);
                browsedCount = ((Message) b.getEnumeration().nextElement()).getObjectProperty("JMSXDeliveryCount");
            }

            // Then every comparison is UNKNOWN and only IS NULL selects, both messages
            assertThat(redelivered).isEmpty();
            assertThat(firstTime).isEmpty();
            assertThat(unknown).containsExactly("bc-0", "bc-1");
            assertThat(browsedCount).isNull();
            // while a receiver's selector sees the broker's count: bc-0 comes again as its second delivery
            TextMessage again = (TextMessage) session.createConsumer(queue, "JMSXDeliveryCount > 1").receive(RECEIVE_MS);
            assertThat(again).isNotNull();
            assertThat(again.getText()).isEqualTo("bc-0");
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        }
    }

    @Test
    void aKafkaShareConsumerCompetingWithASelectiveReceiverGetsEverythingTheReceiverDoesNotSelect() throws Exception {
        int n = 20;
        String name = unique("selective-interop");
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "jms-queue:" + name);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        try (Connection connection = BROKER.factory().createConnection();
             KafkaShareConsumer<String, String> kafka = new KafkaShareConsumer<>(props, new StringDeserializer(),
                     new StringDeserializer())) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(name);
            MessageConsumer evens = session.createConsumer(queue, "n / 2 * 2 = n");
            connection.start();
            kafka.subscribe(List.of(name));
            MessageProducer producer = session.createProducer(queue);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Message m = session.createTextMessage("n-" + i);
                m.setIntProperty("n", i);
                producer.send(m);
                sent.add("n-" + i);
            }

            List<String> byJms = new ArrayList<>();
            List<String> byKafka = new ArrayList<>();
            long end = System.currentTimeMillis() + DEADLINE_MS;
            while (byJms.size() + byKafka.size() < n && System.currentTimeMillis() < end) {
                for (ConsumerRecord<String, String> r : kafka.poll(Duration.ofMillis(300))) {
                    byKafka.add(r.value());
                    kafka.acknowledge(r, AcknowledgeType.ACCEPT);
                }
                kafka.commitSync(Duration.ofSeconds(30));
                Message m = evens.receive(100);
                if (m != null) {
                    byJms.add(((TextMessage) m).getText());
                }
            }

            List<String> all = new ArrayList<>(byJms);
            all.addAll(byKafka);
            assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
            assertThat(byJms).allMatch(t -> Integer.parseInt(t.substring(2)) % 2 == 0);
            assertThat(byKafka).as("the odd ones, which the selective receiver never takes")
                    .containsAll(sent.stream().filter(t -> Integer.parseInt(t.substring(2)) % 2 == 1).toList());
        }
    }

    @Test
    void brokerSelectorsSeePropertiesOfEveryTypeAndTheHeaderFields() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("typed-selectors"));
            MessageProducer producer = session.createProducer(queue);
            // NON_PERSISTENT sends do not wait for an fsync each; one PERSISTENT message is selected by its mode
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            Message m;
            m = session.createTextMessage("int");
            m.setIntProperty("n", 5);
            producer.send(m);
            m = session.createTextMessage("string-5");
            m.setStringProperty("n", "5");
            producer.send(m);
            m = session.createTextMessage("long");
            m.setLongProperty("big", 10_000_000_000L);
            producer.send(m);
            m = session.createTextMessage("double");
            m.setDoubleProperty("d", 2.5);
            producer.send(m);
            m = session.createTextMessage("float");
            m.setFloatProperty("f", 1.5f);
            producer.send(m);
            m = session.createTextMessage("boolean");
            m.setBooleanProperty("flag", true);
            producer.send(m);
            m = session.createTextMessage("short-byte");
            m.setShortProperty("s", (short) 7);
            m.setByteProperty("b", (byte) 3);
            producer.send(m);
            m = session.createTextMessage("like");
            m.setStringProperty("region", "eu-west");
            producer.send(m);
            m = session.createTextMessage("type");
            m.setJMSType("order");
            producer.send(m);
            m = session.createTextMessage("correlation");
            m.setJMSCorrelationID("corr-42");
            producer.send(m);
            producer.send(session.createTextMessage("priority"), DeliveryMode.NON_PERSISTENT, 9, 0);
            producer.send(session.createTextMessage("persistent"), DeliveryMode.PERSISTENT, 4, 0);
            m = session.createTextMessage("by-id");
            producer.send(m);
            producer.send(session.createTextMessage("plain"));
            // each term selects exactly one message: a term that selects another one, or none, changes a set
            Map<String, List<String>> expected = new LinkedHashMap<>();
            expected.put("n = 5 OR big > 9999999999 OR d BETWEEN 2 AND 3 OR f > 1.25",
                    List.of("int", "long", "double", "float"));
            expected.put("n = '5' OR flag = TRUE OR s + b = 10 OR region LIKE 'eu-%'",
                    List.of("string-5", "boolean", "short-byte", "like"));
            expected.put("JMSType = 'order' OR JMSCorrelationID IN ('corr-41', 'corr-42') OR JMSPriority = 9"
                    + " OR JMSDeliveryMode = 'PERSISTENT' OR JMSMessageID = '" + m.getJMSMessageID() + "'",
                    List.of("type", "correlation", "priority", "persistent", "by-id"));
            Map<String, MessageConsumer> receivers = new LinkedHashMap<>();
            for (String selector : expected.keySet()) {
                receivers.put(selector, session.createConsumer(queue, selector));
            }
            connection.start();

            for (Map.Entry<String, List<String>> e : expected.entrySet()) {
                MessageConsumer receiver = receivers.get(e.getKey());
                // (the PERSISTENT message goes through another producer: its order with the others is not fixed)
                assertThat(texts(receiveAll(receiver, e.getValue().size()))).as(e.getKey())
                        .containsExactlyInAnyOrderElementsOf(e.getValue());
                assertThat(receiver.receiveNoWait()).as(e.getKey() + " selects nothing else").isNull();
                assertThat(receiver.getMessageSelector()).isEqualTo(e.getKey());
            }
            MessageConsumer any = session.createConsumer(queue);
            assertThat(texts(receiveAll(any, 1))).containsExactly("plain");
            assertThatThrownBy(() -> session.createConsumer(queue, "n = "))
                    .isInstanceOf(jakarta.jms.InvalidSelectorException.class);
        }
    }

    @Test
    void aSelectiveReceiverReadsOnPastMoreRefusedMessagesThanOneFetchHolds() throws Exception {
        // a share fetch of at most 64 KB: the refused messages in front fill several
        TributaryConnectionFactory small = new TributaryConnectionFactory("tributary://" + BROKER.bootstrapServers()
                + "?kafka.fetch.max.bytes=65536");
        try (Connection connection = small.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("read-on"));
            MessageProducer producer = session.createProducer(queue);
            String filler = "x".repeat(20_000);
            for (int i = 0; i < 12; i++) {
                producer.send(withColor(session.createTextMessage(filler), "grey"));
            }
            producer.send(withColor(session.createTextMessage("wanted"), "gold"));
            MessageConsumer gold = session.createConsumer(queue, "color = 'gold'");
            connection.start();

            Message got = gold.receive(RECEIVE_MS);

            assertThat(got).isNotNull();
            assertThat(((TextMessage) got).getText()).isEqualTo("wanted");
        }
    }

    private static Message withColor(Message m, String color) throws JMSException {
        m.setStringProperty("color", color);
        return m;
    }

    private static Message withKind(Message m, String kind) throws JMSException {
        m.setStringProperty("kind", kind);
        return m;
    }

    private static List<String> browsed(QueueBrowser browser) throws JMSException {
        List<String> texts = new ArrayList<>();
        var e = browser.getEnumeration();
        while (e.hasMoreElements()) {
            texts.add(((TextMessage) e.nextElement()).getText());
        }
        return texts;
    }

    private static List<Message> receiveAll(MessageConsumer consumer, int n) throws JMSException {
        List<Message> messages = new ArrayList<>();
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (messages.size() < n && System.currentTimeMillis() < end) {
            Message m = consumer.receive(1_000);
            if (m != null) {
                messages.add(m);
            }
        }
        return messages;
    }

    private static List<String> texts(List<Message> messages) throws JMSException {
        List<String> texts = new ArrayList<>();
        for (Message m : messages) {
            texts.add(((TextMessage) m).getText());
        }
        return texts;
    }


    @Test
    void aDelayedQueueMessageIsNotHandedOutBeforeItsDeliveryTime() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("delayed-queue"));
            MessageConsumer receiver = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryDelay(3_000);
            producer.send(session.createTextMessage("delayed"));
            producer.setDeliveryDelay(0);
            producer.send(session.createTextMessage("now"));

            TextMessage first = (TextMessage) receiver.receive(RECEIVE_MS);
            TextMessage second = (TextMessage) receiver.receive(RECEIVE_MS);
            long receivedAt = System.currentTimeMillis();

            assertThat(first.getText()).as("the broker hands out the message that is due first").isEqualTo("now");
            assertThat(second.getText()).isEqualTo("delayed");
            assertThat(receivedAt).isGreaterThanOrEqualTo(second.getJMSDeliveryTime());
        }
    }

    @Test
    void anExpiredQueueMessageIsNotHandedToAKafkaShareConsumerEither() throws Exception {
        String name = unique("expiring-queue");
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(name);
            // a receiver sets the queue's share group to start at the earliest message
            session.createConsumer(queue).close();
            MessageProducer producer = session.createProducer(queue);
            producer.setTimeToLive(200);
            producer.send(session.createTextMessage("expires"));
            long expiredAt = System.currentTimeMillis() + 200;
            while (System.currentTimeMillis() <= expiredAt) {
                Thread.sleep(50);
            }
            producer.setTimeToLive(0);
            producer.send(session.createTextMessage("fresh"));
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "jms-queue:" + name);
        try (KafkaShareConsumer<String, String> kafka = new KafkaShareConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            kafka.subscribe(List.of(name));
            List<String> got = new ArrayList<>();
            long end = System.currentTimeMillis() + DEADLINE_MS;
            while (!got.contains("fresh") && System.currentTimeMillis() < end) {
                kafka.poll(Duration.ofMillis(300)).forEach(r -> got.add(r.value()));
            }
            // a plain share consumer applies no TTL itself: only the broker can have left "expires" out
            assertThat(got).containsExactly("fresh");
        }
    }

    @Test
    void aHigherPriorityQueueMessageIsHandedOutFirst() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("priority-queue"));
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("low-1"), DeliveryMode.PERSISTENT, 1, 0);
            producer.send(session.createTextMessage("low-2"), DeliveryMode.PERSISTENT, 1, 0);
            producer.send(session.createTextMessage("high"), DeliveryMode.PERSISTENT, 9, 0);
            MessageConsumer receiver = session.createConsumer(queue);
            connection.start();

            assertThat(((TextMessage) receiver.receive(RECEIVE_MS)).getText()).isEqualTo("high");
            assertThat(((TextMessage) receiver.receive(RECEIVE_MS)).getText()).as("FIFO within a priority")
                    .isEqualTo("low-1");
            assertThat(((TextMessage) receiver.receive(RECEIVE_MS)).getText()).isEqualTo("low-2");
        }
    }

    @Test
    void aClientReceiverHoldsSeveralPollsUnacknowledgedAndRecoversThemAll() throws Exception {
        int maxPollRecords = 10;
        int n = 3 * maxPollRecords;
        TributaryConnectionFactory factory = new TributaryConnectionFactory("tributary://" + BROKER.bootstrapServers()
                + "?kafka.max.poll.records=" + maxPollRecords);
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(unique("client-polls"));
            List<String> sent = send(session, queue, "c-", n);
            MessageConsumer receiver = session.createConsumer(queue);
            connection.start();

            List<String> first = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Message m = receiver.receive(RECEIVE_MS);
                assertThat(m).as("message %d of %d before any acknowledgement", i + 1, n).isNotNull();
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
                first.add(((TextMessage) m).getText());
            }
            session.recover();
            List<String> again = new ArrayList<>();
            Message last = null;
            for (int i = 0; i < n; i++) {
                last = receiver.receive(RECEIVE_MS);
                assertThat(last).as("message %d of %d after recover", i + 1, n).isNotNull();
                assertThat(last.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
                assertThat(last.getJMSRedelivered()).isTrue();
                again.add(((TextMessage) last).getText());
            }
            last.acknowledge();
            receiver.close();

            assertThat(first).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(again).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(session.createConsumer(queue).receive(1_000)).as("acknowledge accepted all").isNull();
        }
    }
}
