package io.tributary.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Topics through the provider jar over loopback: messages, headers, properties, subscriptions, acknowledgement. */
@Timeout(120)
class TopicMessagingIT {
    /** Generous for a loaded 2-core machine; a receive returns as soon as the message is there. */
    private static final long RECEIVE_MS = 30_000;

    @RegisterExtension
    static final JmsBroker BROKER = new JmsBroker();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void receiveNoWaitOnANewSubscriberReturnsAMessagePublishedSinceItWasCreated() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("nowait"));
            Topic quiet = session.createTopic(unique("nowait-quiet"));
            // Given subscribers created just now, which have fetched nothing yet, and a message published to one
            MessageConsumer subscriber = session.createConsumer(topic);
            MessageConsumer idle = session.createConsumer(quiet);
            connection.start();
            session.createProducer(topic).send(session.createTextMessage("nw"));

            // Then receiveNoWait asks the broker once: the message comes, a quiet topic answers null
            Message m = subscriber.receiveNoWait();
            assertThat(m).as("the message published since the subscriber was created").isNotNull();
            assertThat(((TextMessage) m).getText()).isEqualTo("nw");
            long first = System.nanoTime();
            assertThat(idle.receiveNoWait()).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first))
                    .as("waits for the first fetch answer, not for sendTimeoutMs (30 s)").isLessThan(20_000);
        }
    }

    @Test
    void textMessageKeepsEveryHeaderAndTypedProperty() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("headers"));
            Topic replyTo = session.createTopic(unique("replies"));
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            TextMessage sent = session.createTextMessage("héllo");
            sent.setJMSCorrelationID("corr-1");
            sent.setJMSType("greeting");
            sent.setJMSReplyTo(replyTo);
            sent.setBooleanProperty("b", true);
            sent.setByteProperty("y", (byte) -3);
            sent.setShortProperty("s", (short) 300);
            sent.setIntProperty("i", 70_000);
            sent.setLongProperty("l", Long.MIN_VALUE);
            sent.setFloatProperty("f", 1.5f);
            sent.setDoubleProperty("d", Math.PI);
            sent.setStringProperty("str", "a,b:c");
            long before = System.currentTimeMillis();
            session.createProducer(topic).send(sent, DeliveryMode.PERSISTENT, 7, 0);

            TextMessage received = (TextMessage) consumer.receive(RECEIVE_MS);

            assertThat(received.getText()).isEqualTo("héllo");
            assertThat(received.getJMSMessageID()).startsWith("ID:").isEqualTo(sent.getJMSMessageID());
            assertThat(received.getJMSTimestamp()).isEqualTo(sent.getJMSTimestamp()).isGreaterThanOrEqualTo(before);
            assertThat(received.getJMSDestination()).isEqualTo(topic);
            assertThat(received.getJMSReplyTo()).isEqualTo(replyTo);
            assertThat(received.getJMSCorrelationID()).isEqualTo("corr-1");
            assertThat(received.getJMSType()).isEqualTo("greeting");
            assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(received.getJMSPriority()).isEqualTo(7);
            assertThat(received.getJMSExpiration()).isZero();
            assertThat(received.getJMSRedelivered()).isFalse();
            assertThat(received.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            assertThat(received.getObjectProperty("b")).isEqualTo(true);
            assertThat(received.getObjectProperty("y")).isEqualTo((byte) -3);
            assertThat(received.getObjectProperty("s")).isEqualTo((short) 300);
            assertThat(received.getObjectProperty("i")).isEqualTo(70_000);
            assertThat(received.getObjectProperty("l")).isEqualTo(Long.MIN_VALUE);
            assertThat(received.getObjectProperty("f")).isEqualTo(1.5f);
            assertThat(received.getObjectProperty("d")).isEqualTo(Math.PI);
            assertThat(received.getObjectProperty("str")).isEqualTo("a,b:c");
            assertThat(received.getLongProperty("i")).isEqualTo(70_000L);
            assertThat(received.getStringProperty("d")).isEqualTo(Double.toString(Math.PI));
            assertThatThrownBy(() -> received.getIntProperty("l")).isInstanceOf(MessageFormatException.class);
            assertThatThrownBy(() -> received.setStringProperty("x", "y")).isInstanceOf(MessageNotWriteableException.class);
            assertThatThrownBy(() -> received.setText("z")).isInstanceOf(MessageNotWriteableException.class);
        }
    }

    @Test
    void everyBodyTypeArrivesAsSent() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("bodies"));
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeInt(42);
            bytes.writeUTF("utf");
            bytes.writeBytes(new byte[] {1, 2, 3});
            producer.send(bytes);
            MapMessage map = session.createMapMessage();
            map.setInt("n", 5);
            map.setString("s", "five");
            map.setBytes("raw", new byte[] {9});
            map.setChar("c", 'x');
            producer.send(map);
            StreamMessage stream = session.createStreamMessage();
            stream.writeLong(7L);
            stream.writeString("12");
            stream.writeBoolean(true);
            producer.send(stream);
            producer.send(session.createObjectMessage(new java.util.ArrayList<>(List.of("a", "b"))));
            producer.send(session.createMessage());

            BytesMessage b = (BytesMessage) consumer.receive(RECEIVE_MS);
            assertThat(b.getBodyLength()).isEqualTo(4 + 5 + 3);
            assertThat(b.readInt()).isEqualTo(42);
            assertThat(b.readUTF()).isEqualTo("utf");
            byte[] rest = new byte[10];
            assertThat(b.readBytes(rest)).isEqualTo(3);
            assertThat(b.readBytes(rest)).isEqualTo(-1);
            MapMessage m = (MapMessage) consumer.receive(RECEIVE_MS);
            assertThat(m.getInt("n")).isEqualTo(5);
            assertThat(m.getLong("n")).isEqualTo(5L);
            assertThat(m.getString("s")).isEqualTo("five");
            assertThat(m.getBytes("raw")).containsExactly(9);
            assertThat(m.getChar("c")).isEqualTo('x');
            assertThat(Collections.list(m.getMapNames())).containsExactly("n", "s", "raw", "c");
            StreamMessage s = (StreamMessage) consumer.receive(RECEIVE_MS);
            assertThat(s.readString()).isEqualTo("7");
            assertThat(s.readInt()).isEqualTo(12);
            assertThat(s.readBoolean()).isTrue();
            ObjectMessage o = (ObjectMessage) consumer.receive(RECEIVE_MS);
            assertThat(o.getObject()).isEqualTo(List.of("a", "b"));
            Message plain = consumer.receive(RECEIVE_MS);
            assertThat(plain).isNotNull().isNotInstanceOfAny(TextMessage.class, BytesMessage.class, MapMessage.class);
        }
    }

    @Test
    void aNonDurableSubscriberSeesOnlyWhatIsSentAfterItSubscribed() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("late"));
            MessageProducer producer = session.createProducer(topic);
            producer.send(session.createTextMessage("before"));
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            producer.send(session.createTextMessage("after"));

            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("after");
            assertThat(consumer.receive(500)).isNull();
        }
    }

    @Test
    void aSelectorDeliversOnlyMatchingMessages() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("selected"));
            MessageConsumer consumer = session.createConsumer(topic, "color = 'red' AND JMSPriority > 3");
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            for (String color : List.of("blue", "red", "green", "red")) {
                TextMessage m = session.createTextMessage(color);
                m.setStringProperty("color", color);
                producer.send(m);
            }
            TextMessage lowPriority = session.createTextMessage("red-low");
            lowPriority.setStringProperty("color", "red");
            producer.send(lowPriority, DeliveryMode.PERSISTENT, 1, 0);
            producer.send(session.createTextMessage("end"), DeliveryMode.PERSISTENT, 9, 0);

            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("red");
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("red");
            assertThat(consumer.receive(500)).isNull();
            assertThatThrownBy(() -> session.createConsumer(topic, "color = "))
                    .isInstanceOf(InvalidSelectorException.class).hasMessageContaining("color = ");
        }
    }

    @Test
    void aDurableSubscriptionKeepsMessagesWhileNoConsumerIsOpenUntilUnsubscribed() throws Exception {
        String topicName = unique("durable");
        TributaryConnectionFactory factory = BROKER.factory();
        factory.setClientID(unique("client"));
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            MessageProducer producer = session.createProducer(topic);
            producer.send(session.createTextMessage("before the subscription"));
            MessageConsumer subscriber = session.createDurableSubscriber(topic, "sub");
            connection.start();
            producer.send(session.createTextMessage("one"));
            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText()).isEqualTo("one");
            subscriber.close();

            producer.send(session.createTextMessage("two"));
            producer.send(session.createTextMessage("three"));
            subscriber = session.createDurableSubscriber(topic, "sub");
            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText()).isEqualTo("two");
            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText()).isEqualTo("three");
            assertThatThrownBy(() -> session.unsubscribe("sub")).isInstanceOf(jakarta.jms.IllegalStateException.class);
            subscriber.close();
            session.unsubscribe("sub");

            producer.send(session.createTextMessage("four"));
            producer.send(session.createTextMessage("five"));
            subscriber = session.createDurableSubscriber(topic, "sub");
            producer.send(session.createTextMessage("six"));
            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText())
                    .as("a new subscription starts at the end").isEqualTo("six");
            subscriber.close();
            session.unsubscribe("sub");
            assertThatThrownBy(() -> session.unsubscribe("sub")).isInstanceOf(InvalidDestinationException.class);
        }
    }

    @Test
    void reopeningADurableSubscriptionWithAnotherSelectorReplacesIt() throws Exception {
        TributaryConnectionFactory factory = BROKER.factory();
        factory.setClientID(unique("client"));
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("durable-selector"));
            MessageProducer producer = session.createProducer(topic);
            MessageConsumer subscriber = session.createDurableConsumer(topic, "sel", "kind = 'a'", false);
            subscriber.close();
            TextMessage kept = session.createTextMessage("a-while-closed");
            kept.setStringProperty("kind", "a");
            producer.send(kept);
            subscriber = session.createDurableConsumer(topic, "sel", "kind = 'a'", false);
            connection.start();
            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText())
                    .as("same selector: the same subscription").isEqualTo("a-while-closed");
            subscriber.close();

            TextMessage dropped = session.createTextMessage("b-while-closed");
            dropped.setStringProperty("kind", "b");
            producer.send(dropped);
            subscriber = session.createDurableConsumer(topic, "sel", "kind = 'b'", false);
            TextMessage fresh = session.createTextMessage("b-after");
            fresh.setStringProperty("kind", "b");
            producer.send(fresh);
            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText())
                    .as("another selector: a new subscription from the end").isEqualTo("b-after");
            subscriber.close();
            session.unsubscribe("sel");
        }
    }

    @Test
    void clientAcknowledgeRecoverRedeliversWhatWasNotAcknowledged() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("client-ack"));
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            for (int i = 1; i <= 3; i++) {
                producer.send(session.createTextMessage("m" + i));
            }
            Message first = consumer.receive(RECEIVE_MS);
            first.acknowledge();
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("m2");
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("m3");

            session.recover();

            TextMessage again = (TextMessage) consumer.receive(RECEIVE_MS);
            assertThat(again.getText()).isEqualTo("m2");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            TextMessage third = (TextMessage) consumer.receive(RECEIVE_MS);
            assertThat(third.getText()).isEqualTo("m3");
            third.acknowledge();
            session.recover();
            assertThat(consumer.receive(500)).isNull();
        }
    }

    @Test
    void aTopicSelectorOnJmsxDeliveryCountSeesTheProvidersCount() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            // Given a CLIENT_ACKNOWLEDGE subscriber selecting first deliveries and red messages, which got m1 and m2
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("delivery-count"));
            MessageConsumer consumer = session.createConsumer(topic, "JMSXDeliveryCount = 1 OR color = 'red'");
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            producer.send(session.createTextMessage("m1"));
            TextMessage red = session.createTextMessage("m2");
            red.setStringProperty("color", "red");
            producer.send(red);
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("m1");
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("m2");

            // When the session recovers and m3 follows
            session.recover();
            producer.send(session.createTextMessage("m3"));

            // Then m1, on its second delivery, is no longer selected; red m2 is, with count 2; m3 with count 1
            TextMessage again = (TextMessage) consumer.receive(RECEIVE_MS);
            assertThat(again.getText()).isEqualTo("m2");
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            TextMessage next = (TextMessage) consumer.receive(RECEIVE_MS);
            assertThat(next.getText()).isEqualTo("m3");
            assertThat(next.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        }
    }

    @Test
    void aDurableClientAcknowledgeSubscriptionResumesAfterTheLastAcknowledgedMessage() throws Exception {
        TributaryConnectionFactory factory = BROKER.factory();
        factory.setClientID(unique("client"));
        String topicName = unique("durable-ack");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            MessageConsumer subscriber = session.createDurableConsumer(topic, "acks");
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            for (int i = 1; i <= 3; i++) {
                producer.send(session.createTextMessage("m" + i));
            }
            subscriber.receive(RECEIVE_MS);
            subscriber.receive(RECEIVE_MS).acknowledge();
            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText()).isEqualTo("m3");
        }
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer subscriber = session.createDurableConsumer(session.createTopic(topicName), "acks");
            connection.start();
            TextMessage next = (TextMessage) subscriber.receive(RECEIVE_MS);
            assertThat(next.getText()).as("m3 was delivered but not acknowledged").isEqualTo("m3");
            next.acknowledge();
            subscriber.close();
            session.unsubscribe("acks");
        }
    }

    @Test
    void listenersGetMessagesInOrderAndCompletionListenersHearTheBroker() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = producerSession.createTopic(unique("listener"));
            int count = 50;
            List<String> got = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(count);
            consumerSession.createConsumer(topic).setMessageListener(m -> {
                try {
                    got.add(((TextMessage) m).getText());
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
                all.countDown();
            });
            connection.start();
            CountDownLatch completed = new CountDownLatch(count);
            AtomicReference<Exception> failed = new AtomicReference<>();
            MessageProducer producer = producerSession.createProducer(topic);
            for (int i = 0; i < count; i++) {
                producer.send(producerSession.createTextMessage("m" + i), new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        completed.countDown();
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        failed.set(exception);
                    }
                });
            }
            assertThat(completed.await(RECEIVE_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(failed.get()).isNull();
            assertThat(all.await(RECEIVE_MS, TimeUnit.MILLISECONDS)).isTrue();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add("m" + i);
            }
            assertThat(got).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aMessageWhoseAutoAcknowledgeListenerThrowsIsDeliveredAgain() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("listener-throws"));
            List<String> deliveries = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch twice = new CountDownLatch(2);
            session.createConsumer(topic).setMessageListener(m -> {
                try {
                    deliveries.add(((TextMessage) m).getText() + " redelivered=" + m.getJMSRedelivered()
                            + " count=" + m.getIntProperty("JMSXDeliveryCount"));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
                twice.countDown();
                if (deliveries.size() == 1) {
                    throw new IllegalStateException("first delivery fails on purpose");
                }
            });
            connection.start();
            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producerSession.createProducer(topic).send(producerSession.createTextMessage("fragile"));

            assertThat(twice.await(RECEIVE_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(deliveries).startsWith("fragile redelivered=false count=1", "fragile redelivered=true count=2");
        }
    }

    @Test
    void theJms1TopicDomainApiWorks() throws Exception {
        jakarta.jms.TopicConnectionFactory factory = BROKER.factory();
        try (jakarta.jms.TopicConnection connection = factory.createTopicConnection()) {
            jakarta.jms.TopicSession session = connection.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("jms1"));
            jakarta.jms.TopicSubscriber subscriber = session.createSubscriber(topic);
            connection.start();
            jakarta.jms.TopicPublisher publisher = session.createPublisher(topic);
            publisher.publish(session.createTextMessage("published"));

            assertThat(((TextMessage) subscriber.receive(RECEIVE_MS)).getText()).isEqualTo("published");
            assertThat(subscriber.getTopic()).isEqualTo(topic);
            assertThat(publisher.getTopic()).isEqualTo(topic);
            assertThat(connection.getMetaData().getJMSMajorVersion()).isEqualTo(3);
        }
    }

    @Test
    void stoppedConnectionsDeliverNothingUntilStarted() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("stopped"));
            MessageConsumer consumer = session.createConsumer(topic);
            session.createProducer(topic).send(session.createTextMessage("waiting"));
            assertThat(consumer.receive(300)).isNull();
            connection.start();
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("waiting");
            connection.stop();
            session.createProducer(topic).send(session.createTextMessage("later"));
            assertThat(consumer.receiveNoWait()).isNull();
            connection.start();
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("later");
        }
    }

    @Test
    void requestReplyOverATemporaryQueueThatOnlyItsConnectionMayRead() throws Exception {
        TributaryConnectionFactory factory = BROKER.factory();
        try (Connection requester = factory.createConnection(); Connection responder = factory.createConnection()) {
            Session requests = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session responses = responder.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic service = requests.createTopic(unique("service"));
            MessageConsumer server = responses.createConsumer(service);
            responder.start();
            TemporaryQueue replyQueue = requests.createTemporaryQueue();
            MessageConsumer replies = requests.createConsumer(replyQueue);
            requester.start();
            TextMessage request = requests.createTextMessage("ping");
            request.setJMSReplyTo(replyQueue);
            requests.createProducer(service).send(request);

            Message got = server.receive(RECEIVE_MS);
            TextMessage reply = responses.createTextMessage("pong");
            reply.setJMSCorrelationID(got.getJMSMessageID());
            responses.createProducer(got.getJMSReplyTo()).send(reply);

            TextMessage answer = (TextMessage) replies.receive(RECEIVE_MS);
            assertThat(answer.getText()).isEqualTo("pong");
            assertThat(answer.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
            assertThatThrownBy(() -> responses.createConsumer(got.getJMSReplyTo()))
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("another connection");
            assertThatThrownBy(() -> requests.createConsumer(replyQueue))
                    .as("a second consumer would need queue semantics")
                    .isInstanceOf(jakarta.jms.IllegalStateException.class);
            assertThatThrownBy(replyQueue::delete).isInstanceOf(jakarta.jms.IllegalStateException.class);
            replies.close();
            replyQueue.delete();
        }
    }

    @Test
    void anExpiredMessageIsNotDelivered() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("ttl"));
            MessageConsumer consumer = session.createConsumer(topic);
            MessageProducer producer = session.createProducer(topic);
            TextMessage shortLived = session.createTextMessage("expires");
            producer.send(shortLived, DeliveryMode.PERSISTENT, 4, 1);
            while (System.currentTimeMillis() <= shortLived.getJMSExpiration()) {
                Thread.onSpinWait();
            }
            producer.send(session.createTextMessage("lives"), DeliveryMode.NON_PERSISTENT, 4, 600_000);
            connection.start();

            TextMessage got = (TextMessage) consumer.receive(RECEIVE_MS);
            assertThat(got.getText()).isEqualTo("lives");
            assertThat(got.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(got.getJMSExpiration()).isGreaterThan(System.currentTimeMillis());
        }
    }

    @Test
    void noLocalSubscribersSkipTheirOwnConnectionsMessages() throws Exception {
        try (Connection mine = BROKER.factory().createConnection(); Connection other = BROKER.factory().createConnection()) {
            Session session = mine.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("nolocal"));
            MessageConsumer consumer = session.createConsumer(topic, null, true);
            mine.start();
            session.createProducer(topic).send(session.createTextMessage("own"));
            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            otherSession.createProducer(topic).send(otherSession.createTextMessage("foreign"));

            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("foreign");
        }
    }

    @Test
    void aDelayedMessageIsHeldByATopicSubscriberUntilItsDeliveryTime() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(unique("delayed"));
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            producer.setDeliveryDelay(2_000);
            assertThat(producer.getDeliveryDelay()).isEqualTo(2_000);
            producer.send(session.createTextMessage("delayed"));
            producer.setDeliveryDelay(0);
            producer.send(session.createTextMessage("behind it"));

            Message delayed = consumer.receive(RECEIVE_MS);
            long receivedAt = System.currentTimeMillis();

            assertThat(((TextMessage) delayed).getText()).isEqualTo("delayed");
            assertThat(delayed.getJMSDeliveryTime()).isEqualTo(delayed.getJMSTimestamp() + 2_000);
            assertThat(receivedAt).isGreaterThanOrEqualTo(delayed.getJMSDeliveryTime());
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("behind it");
            assertThatThrownBy(() -> producer.setDeliveryDelay(-1)).isInstanceOf(JMSException.class);
        }
    }

    @Test
    void aPersistentSendIsFsyncedBeforeItsAcknowledgementOnAnAsyncTopicAndANonPersistentOneIsNot() throws Exception {
        // Given an async topic whose periodic flusher does not run during the test
        String name = unique("durability");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(Map.of("flush.policy", "async",
                    "flush.ms", "3600000")))).all().get(RECEIVE_MS, TimeUnit.MILLISECONDS);
        }
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic(name));
            long before = BROKER.flushCount(name);

            // When a NON_PERSISTENT message is sent and acknowledged (its CompletionListener called)
            CountDownLatch acknowledged = new CountDownLatch(1);
            producer.send(session.createTextMessage("np"), DeliveryMode.NON_PERSISTENT, 4, 0, new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    acknowledged.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                }
            });
            assertThat(acknowledged.await(RECEIVE_MS, TimeUnit.MILLISECONDS)).isTrue();
            long afterNonPersistent = BROKER.flushCount(name);
            // and then a PERSISTENT one (send returns with the broker's acknowledgement)
            producer.send(session.createTextMessage("p"), DeliveryMode.PERSISTENT, 4, 0);
            long afterPersistent = BROKER.flushCount(name);

            // Then only the PERSISTENT one was fsynced before it was acknowledged
            assertThat(afterNonPersistent).isEqualTo(before);
            assertThat(afterPersistent).isGreaterThan(afterNonPersistent);
        }
    }

    @Test
    void jmsContextSendsAndReceivesBodies() {
        try (JMSContext context = BROKER.factory().createContext()) {
            Topic topic = context.createTopic(unique("context"));
            var consumer = context.createConsumer(topic);
            context.createProducer().setProperty("kind", "greeting").setJMSCorrelationID("c1")
                    .send(topic, "hello").send(topic, Map.of("k", 1)).send(topic, new byte[] {5, 6});

            assertThat(consumer.receiveBody(String.class, RECEIVE_MS)).isEqualTo("hello");
            assertThat(consumer.receiveBody(Map.class, RECEIVE_MS)).isEqualTo(Map.of("k", 1));
            assertThat(consumer.receiveBody(byte[].class, RECEIVE_MS)).containsExactly(5, 6);
        }
    }

    @Test
    void invalidQueueAndSharedSelectorsAndDestinationsAreRefusedByName() throws Exception {
        try (Connection connection = BROKER.factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var queue = session.createQueue(unique("queue"));
            assertThatThrownBy(() -> session.createConsumer(queue, "kind = "))
                    .isInstanceOf(jakarta.jms.InvalidSelectorException.class).hasMessageContaining("kind = ");
            assertThatThrownBy(() -> session.createSharedConsumer(session.createTopic("t"), "s", "kind = "))
                    .isInstanceOf(jakarta.jms.InvalidSelectorException.class);
            assertThatThrownBy(() -> session.createTopic("no spaces")).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> session.createDurableSubscriber(session.createTopic("t"), "s"))
                    .isInstanceOf(jakarta.jms.IllegalStateException.class).hasMessageContaining("client ID");
            session.close();
            assertThatThrownBy(session::createTextMessage).isInstanceOf(jakarta.jms.IllegalStateException.class);
        }
    }
}
