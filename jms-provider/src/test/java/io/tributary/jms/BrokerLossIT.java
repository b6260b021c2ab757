package io.tributary.jms;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker goes away: the ExceptionListener hears it, or (reconnect=true) the connection carries on. */
@Timeout(180)
class BrokerLossIT {
    @TempDir
    Path dataDir;
    private Broker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private Broker start(int port) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("log.dirs", dataDir.toString());
        return Broker.start(BrokerConfig.of(config));
    }

    @Test
    void theExceptionListenerIsToldWhenTheBrokerGoesAwayAndTheConnectionFails() throws Exception {
        broker = start(0);
        TributaryConnectionFactory factory = new TributaryConnectionFactory(
                "tributary://" + broker.bootstrapServers() + "?failureDetectionMs=1000&sendTimeoutMs=2000");
        try (Connection connection = factory.createConnection()) {
            CompletableFuture<JMSException> told = new CompletableFuture<>();
            connection.setExceptionListener(told::complete);
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic("loss"));
            producer.send(session.createTextMessage("before"));

            broker.close();
            broker = null;

            JMSException e = told.get(60, TimeUnit.SECONDS);
            assertThat(e).hasMessageContaining("lost the broker");
            assertThatThrownBy(() -> producer.send(session.createTextMessage("after")))
                    .isInstanceOf(jakarta.jms.IllegalStateException.class).hasMessageContaining("failed");
        }
    }

    @Test
    void withReconnectAConnectionCarriesOnOnceTheBrokerIsBack() throws Exception {
        broker = start(0);
        int port = broker.boundAddresses().values().iterator().next().getPort();
        TributaryConnectionFactory factory = new TributaryConnectionFactory(
                "tributary://127.0.0.1:" + port + "?reconnect=true&failureDetectionMs=1000");
        try (Connection connection = factory.createConnection()) {
            CompletableFuture<JMSException> told = new CompletableFuture<>();
            connection.setExceptionListener(told::complete);
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("outage");
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            producer.send(session.createTextMessage("before"));
            assertThat(((TextMessage) consumer.receive(30_000)).getText()).isEqualTo("before");

            broker.close();
            broker = start(port);

            producer.send(session.createTextMessage("after"));
            assertThat(((TextMessage) consumer.receive(30_000)).getText()).isEqualTo("after");
            assertThat(told).isNotDone();
        }
    }

    @Test
    void aConnectionToNoBrokerFailsAtOnceWithTheAddress() {
        TributaryConnectionFactory factory = new TributaryConnectionFactory(
                "tributary://127.0.0.1:1?sendTimeoutMs=1000");
        assertThatThrownBy(factory::createConnection).isInstanceOf(JMSException.class)
                .hasMessageContaining("cannot reach the broker at 127.0.0.1:1");
    }
}
