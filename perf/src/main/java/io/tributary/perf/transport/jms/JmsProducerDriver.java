package io.tributary.perf.transport.jms;

import io.tributary.perf.transport.Acks;
import io.tributary.perf.transport.ProducerDriver;
import io.tributary.perf.transport.ProducerSettings;
import io.tributary.perf.transport.SendListener;
import io.tributary.perf.transport.SendSlot;
import io.tributary.perf.transport.TransportException;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.concurrent.atomic.AtomicInteger;

/** One JMS connection, session and producer; a send is a BytesMessage of the record's value (the key is dropped). */
final class JmsProducerDriver implements ProducerDriver {
    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final boolean persistent;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();

    JmsProducerDriver(ConnectionFactory factory, ProducerSettings settings) {
        if (settings.transactionalId() != null) {
            throw new UnsupportedOperationException("the jms transport has no transactional produce");
        }
        try {
            connection = factory.createConnection();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(session.createTopic(settings.topic()));
            persistent = settings.acks() != Acks.NONE;
            producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        } catch (JMSException e) {
            throw new TransportException("could not create a JMS producer for " + settings.topic(), e);
        }
    }

    /** A slot that is its own CompletionListener. */
    private final class JmsSendSlot extends SendSlot implements CompletionListener {
        JmsSendSlot(SendListener listener) {
            super(listener);
        }

        /** A NON_PERSISTENT send is complete once the provider has it. */
        void handedOver() {
            complete(null);
        }

        @Override
        public void onCompletion(Message message) {
            done();
            complete(null);
        }

        @Override
        public void onException(Message message, Exception exception) {
            done();
            complete(exception);
        }
    }

    private void done() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    @Override
    public SendSlot newSlot(SendListener listener) {
        return new JmsSendSlot(listener);
    }

    @Override
    public void send(byte[] key, byte[] value, SendSlot slot) {
        JmsSendSlot jmsSlot = (JmsSendSlot) slot;
        try {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(value);
            if (persistent) {
                inFlight.incrementAndGet();
                producer.send(m, jmsSlot);
            } else {
                producer.send(m);
                jmsSlot.handedOver();
            }
        } catch (JMSException | RuntimeException e) {
            throw new TransportException("JMS send failed", e);
        }
    }

    @Override
    public void flush() {
        synchronized (drained) {
            while (inFlight.get() > 0) {
                try {
                    drained.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        flush();
        try {
            connection.close();
        } catch (JMSException e) {
            throw new TransportException("closing the JMS connection failed", e);
        }
    }
}
