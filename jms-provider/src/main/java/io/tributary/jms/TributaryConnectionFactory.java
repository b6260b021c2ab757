package io.tributary.jms;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

import java.io.Serializable;

/**
 * The provider's entry point. Built with the broker address ({@code host:port[,host:port…]} or
 * {@code tributary://host:port?option=value}), or with the no-argument constructor and {@link #setBrokerURL} (for
 * tools that build factories by reflection); options as in {@link ConnectionOptions}, also settable here.
 *
 * <pre>{@code
 * ConnectionFactory factory = new TributaryConnectionFactory("127.0.0.1:9092");
 * try (JMSContext context = factory.createContext()) {
 *     context.createProducer().send(context.createTopic("greetings"), "hello");
 * }
 * }</pre>
 */
public final class TributaryConnectionFactory
        implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory, Serializable {
    private static final long serialVersionUID = 1L;

    private String url;
    private String clientId;
    private String user;
    private String password;
    private Boolean reconnect;
    private Long failureDetectionMs;
    private Long sendTimeoutMs;
    private Long lingerMs;

    /** A factory without an address yet: call {@link #setBrokerURL} before creating connections. */
    public TributaryConnectionFactory() {
    }

    /** A factory for the broker at {@code url}; the URL is checked when a connection is created. */
    public TributaryConnectionFactory(String url) {
        this.url = url;
    }

    public void setBrokerURL(String url) {
        this.url = url;
    }

    public String getBrokerURL() {
        return url;
    }

    /** Same as {@link #setBrokerURL}. */
    public void setUrl(String url) {
        this.url = url;
    }

    public void setClientID(String clientId) {
        this.clientId = clientId;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setReconnect(boolean reconnect) {
        this.reconnect = reconnect;
    }

    public void setFailureDetectionMs(long failureDetectionMs) {
        this.failureDetectionMs = failureDetectionMs;
    }

    public void setSendTimeoutMs(long sendTimeoutMs) {
        this.sendTimeoutMs = sendTimeoutMs;
    }

    public void setLingerMs(long lingerMs) {
        this.lingerMs = lingerMs;
    }

    /** The options a connection made now would use: the URL's, overridden by the setters'. */
    public ConnectionOptions options() throws JMSException {
        ConnectionOptions options = ConnectionOptions.parse(url);
        if (clientId != null) {
            options = options.with("clientId", clientId);
        }
        if (user != null) {
            options = options.with("user", user);
        }
        if (password != null) {
            options = options.with("password", password);
        }
        if (reconnect != null) {
            options = options.with("reconnect", reconnect.toString());
        }
        if (failureDetectionMs != null) {
            options = options.with("failureDetectionMs", failureDetectionMs.toString());
        }
        if (sendTimeoutMs != null) {
            options = options.with("sendTimeoutMs", sendTimeoutMs.toString());
        }
        if (lingerMs != null) {
            options = options.with("lingerMs", lingerMs.toString());
        }
        return options;
    }

    @Override
    public TributaryConnection createConnection() throws JMSException {
        return new TributaryConnection(options());
    }

    @Override
    public TributaryConnection createConnection(String userName, String password) throws JMSException {
        ConnectionOptions options = options();
        if (userName != null) {
            options = options.with("user", userName);
        }
        if (password != null) {
            options = options.with("password", password);
        }
        return new TributaryConnection(options);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return createConnection();
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return createConnection(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return createConnection();
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return createConnection(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(null, null, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(null, null, sessionMode);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        try {
            Connection connection = createConnection(userName, password);
            return new TributaryJMSContext((TributaryConnection) connection, sessionMode);
        } catch (JMSException e) {
            throw Errors.runtime(e);
        }
    }

    @Override
    public String toString() {
        return "TributaryConnectionFactory[" + url + "]";
    }

}
