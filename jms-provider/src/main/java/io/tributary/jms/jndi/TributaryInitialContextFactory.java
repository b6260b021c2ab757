package io.tributary.jms.jndi;

import io.tributary.jms.TributaryConnectionFactory;
import io.tributary.jms.TributaryQueue;
import io.tributary.jms.TributaryTopic;

import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

/**
 * A read-only JNDI context of administered objects from the environment, which {@code InitialContext} fills
 * from {@code jndi.properties} on the class path, as Artemis and Qpid users write it:
 * <pre>
 * java.naming.factory.initial = io.tributary.jms.jndi.TributaryInitialContextFactory
 * connectionFactory.ConnectionFactory = tributary://127.0.0.1:9092?clientId=app
 * queue.orders = orders
 * topic.prices = market.prices
 * </pre>
 * {@code java.naming.provider.url}, if set, is also bound as {@code ConnectionFactory} (unless named explicitly).
 */
public final class TributaryInitialContextFactory implements InitialContextFactory {
    public static final String CONNECTION_FACTORY_PREFIX = "connectionFactory.";
    public static final String QUEUE_PREFIX = "queue.";
    public static final String TOPIC_PREFIX = "topic.";

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Map<String, Object> bindings = new HashMap<>();
        Object providerUrl = environment.get(Context.PROVIDER_URL);
        if (providerUrl != null) {
            bindings.put("ConnectionFactory", new TributaryConnectionFactory(providerUrl.toString()));
        }
        for (Map.Entry<?, ?> e : environment.entrySet()) {
            String key = e.getKey().toString();
            String value = e.getValue() == null ? null : e.getValue().toString().trim();
            if (key.startsWith(CONNECTION_FACTORY_PREFIX)) {
                bindings.put(key.substring(CONNECTION_FACTORY_PREFIX.length()), new TributaryConnectionFactory(value));
            } else if (key.startsWith(QUEUE_PREFIX)) {
                bindings.put(key.substring(QUEUE_PREFIX.length()), new TributaryQueue(value));
            } else if (key.startsWith(TOPIC_PREFIX)) {
                bindings.put(key.substring(TOPIC_PREFIX.length()), new TributaryTopic(value));
            }
        }
        return new ReadOnlyContext(bindings, environment);
    }
}
