package io.tributary.jms;

import io.tributary.jms.jndi.TributaryInitialContextFactory;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import java.util.Hashtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JndiTest {
    @Test
    void jndiPropertiesOnTheClassPathBindFactoriesQueuesAndTopics() throws Exception {
        // src/test/resources/jndi.properties, read by InitialContext itself
        InitialContext context = new InitialContext();

        TributaryConnectionFactory factory = (TributaryConnectionFactory) context.lookup("ConnectionFactory");
        assertThat(factory.options().bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(factory.options().clientId()).isEqualTo("jndi-app");
        assertThat(((Queue) context.lookup("orders")).getQueueName()).isEqualTo("app.orders");
        assertThat(((Topic) context.lookup("prices")).getTopicName()).isEqualTo("market.prices");
        assertThatThrownBy(() -> context.lookup("missing")).isInstanceOf(NameNotFoundException.class)
                .hasMessageContaining("orders");
        assertThatThrownBy(() -> context.bind("x", "y")).isInstanceOf(OperationNotSupportedException.class);
    }

    @Test
    void theProviderUrlIsBoundAsConnectionFactory() throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, TributaryInitialContextFactory.class.getName());
        env.put(Context.PROVIDER_URL, "tributary://broker.example:9092");
        Context context = new TributaryInitialContextFactory().getInitialContext(env);
        assertThat(((TributaryConnectionFactory) context.lookup("ConnectionFactory")).getBrokerURL())
                .isEqualTo("tributary://broker.example:9092");
    }
}
