package io.tributary.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JMSContext: a connection and one session. Contexts made from it with {@link #createContext} share the
 * connection, which closes with the last of them. The connection starts with the first consumer (autoStart).
 */
final class TributaryJMSContext implements JMSContext {
    private final TributaryConnection connection;
    private final AtomicInteger connectionUsers;
    private final int sessionMode;
    private TributarySession session;
    private boolean autoStart = true;
    private boolean closed;

    TributaryJMSContext(TributaryConnection connection, int sessionMode) {
        this(connection, new AtomicInteger(1), sessionMode);
    }

    private TributaryJMSContext(TributaryConnection connection, AtomicInteger connectionUsers, int sessionMode) {
        this.connection = connection;
        this.connectionUsers = connectionUsers;
        this.sessionMode = sessionMode;
        if (sessionMode != SESSION_TRANSACTED && sessionMode != AUTO_ACKNOWLEDGE && sessionMode != CLIENT_ACKNOWLEDGE && sessionMode != DUPS_OK_ACKNOWLEDGE) {
            throw new JMSRuntimeException("invalid session mode " + sessionMode);
        }
    }

    private synchronized TributarySession session() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
        if (session == null) {
            try {
                session = connection.createSession(sessionMode);
            } catch (JMSException e) {
                throw Errors.runtime(e);
            }
        }
        return session;
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
        connectionUsers.incrementAndGet();
        return new TributaryJMSContext(connection, connectionUsers, sessionMode);
    }

    @Override
    public JMSProducer createProducer() {
        try {
            return new TributaryJMSProducer(this, session().createProducer(null));
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    TributarySession sessionForProducer() {
        return session();
    }

    @Override
    public String getClientID() {
        try {
            return connection.getClientID();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void setClientID(String clientID) {
        try {
            connection.setClientID(clientID);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public ConnectionMetaData getMetaData() {
        try {
            return connection.getMetaData();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public ExceptionListener getExceptionListener() {
        try {
            return connection.getExceptionListener();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        try {
            connection.setExceptionListener(listener);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void start() {
        try {
            connection.start();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void stop() {
        try {
            connection.stop();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        return autoStart;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (session != null) {
                session.close();
            }
            closed = true;
            if (connectionUsers.decrementAndGet() == 0) {
                connection.close();
            }
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public BytesMessage createBytesMessage() {
        try {
            return session().createBytesMessage();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public MapMessage createMapMessage() {
        try {
            return session().createMapMessage();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public Message createMessage() {
        try {
            return session().createMessage();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public ObjectMessage createObjectMessage() {
        try {
            return session().createObjectMessage();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        try {
            return session().createObjectMessage(object);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public StreamMessage createStreamMessage() {
        try {
            return session().createStreamMessage();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public TextMessage createTextMessage() {
        try {
            return session().createTextMessage();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public TextMessage createTextMessage(String text) {
        try {
            return session().createTextMessage(text);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public boolean getTransacted() {
        return sessionMode == SESSION_TRANSACTED;
    }

    @Override
    public int getSessionMode() {
        return sessionMode;
    }

    @Override
    public void commit() {
        try {
            session().commit();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void rollback() {
        try {
            session().rollback();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void recover() {
        try {
            session().recover();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    private interface ConsumerFactory {
        TributaryMessageConsumer create(TributarySession session) throws JMSException;
    }

    private JMSConsumer consumer(ConsumerFactory factory) {
        try {
            JMSConsumer consumer = new TributaryJMSConsumer(factory.create(session()));
            if (autoStart) {
                connection.start();
            }
            return consumer;
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return consumer(s -> s.createConsumer(destination, null, false));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        return consumer(s -> s.createConsumer(destination, messageSelector, false));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        return consumer(s -> s.createConsumer(destination, messageSelector, noLocal));
    }

    @Override
    public Queue createQueue(String queueName) {
        try {
            return session().createQueue(queueName);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public Topic createTopic(String topicName) {
        try {
            return session().createTopic(topicName);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return consumer(s -> s.createDurableConsumer(topic, name, null, false));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        return consumer(s -> s.createDurableConsumer(topic, name, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return consumer(s -> s.createSharedDurableConsumer(topic, name, null));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        return consumer(s -> s.createSharedDurableConsumer(topic, name, messageSelector));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        return consumer(s -> s.createSharedConsumer(topic, sharedSubscriptionName, null));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        return consumer(s -> s.createSharedConsumer(topic, sharedSubscriptionName, messageSelector));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        try {
            return session().createBrowser(queue, null);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        try {
            return session().createBrowser(queue, messageSelector);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        try {
            return session().createTemporaryQueue();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        try {
            return session().createTemporaryTopic();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void unsubscribe(String name) {
        try {
            session().unsubscribe(name);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public void acknowledge() {
        try {
            session().acknowledgeFromMessage();
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }
}
