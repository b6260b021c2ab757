package io.tributary.perf.transport.jms;

import io.tributary.perf.transport.ConsumerDriver;
import io.tributary.perf.transport.ConsumerSettings;
import io.tributary.perf.transport.RecordHandler;
import io.tributary.perf.transport.TransportException;
import io.tributary.jms.TributaryConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import java.time.Duration;

/** One JMS connection, DUPS_OK session and topic subscriber (durable when the settings name a group). */
final class JmsConsumerDriver implements ConsumerDriver {
    private static final int MAX_PER_POLL = 500;

    private final Connection connection;
    private final MessageConsumer consumer;

    JmsConsumerDriver(TributaryConnectionFactory factory, ConsumerSettings settings) {
        try {
            if (settings.group() != null) {
                factory.setClientID("perf-" + settings.group());
            }
            connection = factory.createConnection();
            Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            Topic topic = session.createTopic(settings.topic());
            consumer = settings.group() == null ? session.createConsumer(topic)
                    : session.createDurableConsumer(topic, settings.group());
            connection.start();
        } catch (JMSException e) {
            throw new TransportException("could not subscribe to " + settings.topic() + " over JMS", e);
        }
    }

    /** A subscriber is positioned when it is created. */
    @Override
    public boolean awaitAssignment(Duration timeout) {
        return true;
    }

    @Override
    public int poll(Duration timeout, RecordHandler handler) {
        try {
            int n = 0;
            Message m = consumer.receive(Math.max(1, timeout.toMillis()));
            while (m != null) {
                BytesMessage bytes = (BytesMessage) m;
                byte[] value = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(value);
                handler.onRecord(value);
                if (++n == MAX_PER_POLL) {
                    break;
                }
                m = consumer.receiveNoWait();
            }
            return n;
        } catch (JMSException e) {
            throw new TransportException("JMS receive failed", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (JMSException e) {
            throw new TransportException("closing the JMS connection failed", e);
        }
    }
}
