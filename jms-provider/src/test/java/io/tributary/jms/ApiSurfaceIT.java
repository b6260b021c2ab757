package io.tributary.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicRequestor;
import jakarta.jms.TopicSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Corners of the Jakarta Messaging 3.1 API through the provider jar over loopback. */
@Timeout(180)
class ApiSurfaceIT {
    private static final long RECEIVE_MS = 30_000;

    @RegisterExtension
    static final JmsBroker BROKER = new JmsBroker();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aProducerThatDisablesIdsAndTimestampsSendsMessagesReceivedWithoutThem() throws Exception {
        try (JMSContext context = BROKER.factory().createContext()) {
            // Given a consumer, a producer with both hints and one without
            Topic topic = context.createTopic(unique("hints"));
            JMSConsumer consumer = context.createConsumer(topic);
            context.createProducer().setDisableMessageID(true).setDisableMessageTimestamp(true).send(topic, "bare");
            context.createProducer().send(topic, "full");

            // When both are received
            Message bare = consumer.receive(RECEIVE_MS);
            Message full = consumer.receive(RECEIVE_MS);

            // Then the first has no ID and timestamp 0, the second both
            assertThat(bare.getBody(String.class)).isEqualTo("bare");
            assertThat(bare.getJMSMessageID()).isNull();
            assertThat(bare.getJMSTimestamp()).isZero();
            assertThat(full.getJMSMessageID()).startsWith("ID:");
            assertThat(full.getJMSTimestamp()).isPositive();
        }
    }

    @Test
    void aQueueRequestorGetsItsReplyOverATemporaryQueue() throws Exception {
        try (QueueConnection client = BROKER.factory().createQueueConnection();
             QueueConnection server = BROKER.factory().createQueueConnection()) {
            // Given a service answering on a queue
            QueueSession serverSession = server.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue service = serverSession.createQueue(unique("service"));
            respond(serverSession, serverSession.createReceiver(service));
            server.start();
            QueueSession session = client.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, service);
            client.start();

            // When a request is made
            TextMessage reply = (TextMessage) requestor.request(session.createTextMessage("ping"));

            // Then the reply answers it
            assertThat(reply.getText()).isEqualTo("re: ping");
            requestor.close();
        }
    }

    @Test
    void aTopicRequestorGetsItsReplyOverATemporaryTopic() throws Exception {
        try (TopicConnection client = BROKER.factory().createTopicConnection();
             TopicConnection server = BROKER.factory().createTopicConnection()) {
            // Given a service subscribed to a topic
            TopicSession serverSession = server.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic service = serverSession.createTopic(unique("topic-service"));
            respond(serverSession, serverSession.createSubscriber(service));
            server.start();
            TopicSession session = client.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            TopicRequestor requestor = new TopicRequestor(session, service);
            client.start();

            // When a request is published
            TextMessage reply = (TextMessage) requestor.request(session.createTextMessage("ping"));

            // Then the reply comes back on the requestor's temporary topic
            assertThat(reply.getText()).isEqualTo("re: ping");
            requestor.close();
        }
    }

    @Test
    void aContextStartsWithItsFirstConsumerUnlessAutoStartIsOff() throws Exception {
        try (JMSContext context = BROKER.factory().createContext()) {
            // Given a context that does not start by itself, with a consumer and a message for it
            context.setAutoStart(false);
            Queue queue = context.createQueue(unique("autostart"));
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "waiting");
            assertThat(consumer.receiveNoWait()).as("the connection is stopped").isNull();

            // When it is started
            context.start();

            // Then the message is delivered
            assertThat(consumer.receiveBody(String.class, RECEIVE_MS)).isEqualTo("waiting");
        }
    }

    /** Answers each text message on {@code session}'s consumer with "re: " and its text, to its JMSReplyTo. */
    private static void respond(Session session, MessageConsumer consumer) throws Exception {
        MessageProducer replies = session.createProducer(null);
        consumer.setMessageListener(m -> {
            try {
                TextMessage reply = session.createTextMessage("re: " + ((TextMessage) m).getText());
                reply.setJMSCorrelationID(m.getJMSMessageID());
                replies.send(m.getJMSReplyTo(), reply);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
